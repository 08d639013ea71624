using System.CommandLine;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Client;

namespace Plugboard.Cli;

/// The `plugboard` command tree. Exit codes: 0 done, 1 failed (one `error: …` line on stderr), 2 called wrongly.
public static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;


    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "table (default) or json (the SDK's records, camelCase)",
            Recursive = true,
            DefaultValueFactory = _ => "table",
        };
        output.AcceptOnlyFromAmong("table", "json");
        var root = new RootCommand("Plugboard from a terminal: projects, connections, keys, audit, sync, and the import of an Activepieces database.")
        {
            output,
        };
        LoginCommand.Add(root, host);
        ApiCommands.Add(root, host);
        ImportCommand.Add(root, host);
        ServerCommand.Add(root, host);

        // No response files: "@activepieces/piece-slack" is a piece name, not a file of arguments.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await host.Error.WriteLineAsync($"error: {error.Message}");
            }
            await host.Error.WriteLineAsync("Run `plugboard --help` for usage.");
            return Usage;
        }
        // Ctrl-C cancels the command's token, and the process is given time to end by itself (not System.CommandLine's
        // default 2 s): `server rewrap` hands the interrupt on to its verb and waits for it to stop between two writes.
        return await parse.InvokeAsync(
            new InvocationConfiguration { Output = host.Out, Error = host.Error, ProcessTerminationTimeout = TimeSpan.FromSeconds(40) }, cancellationToken);
    }

    /// Runs a command's body with the one error convention: every expected failure becomes one line and an exit code.
    internal static void Action(Command command, CliHost host, Func<CliSession, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            var session = new CliSession(host, parse);
            try
            {
                return await body(session, ct);
            }
            catch (UsageException e)
            {
                await host.Error.WriteLineAsync($"error: {e.Message}");
                return Usage;
            }
            catch (PlugboardApiException e)
            {
                await host.Error.WriteLineAsync($"error: {e.Code}: {OneLine(e.Message)}");
                return Failed;
            }
            catch (Exception e) when (e is CliException or HttpRequestException or PlugboardNotConfiguredException or IOException or UnauthorizedAccessException)
            {
                await host.Error.WriteLineAsync($"error: {OneLine(e.Message)}");
                return Failed;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await host.Error.WriteLineAsync("error: interrupted");
                return Failed;
            }
            finally
            {
                await session.DisposeAsync();
            }
        });

    internal static void Action(Command command, CliHost host, Func<CliSession, CancellationToken, Task> body) =>
        Action(command, host, async (session, ct) =>
        {
            await body(session, ct);
            return Ok;
        });

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ");
}

/// One invocation: its parse result, its output mode, and the SDK client built from login or the environment.
internal sealed class CliSession(CliHost host, ParseResult parse) : IAsyncDisposable
{
    private ServiceProvider? _services;

    public CliHost Host => host;
    public ParseResult Parse => parse;
    public Output Output => field ??= new Output(host, parse.GetValue<string>("--output") == "json");

    public T? Get<T>(Option<T> option) => parse.GetValue(option);
    public T? Get<T>(Argument<T> argument) => parse.GetValue(argument);

    /// PLUGBOARD_URL and PLUGBOARD_API_KEY win over the stored login, so a script needs no config file.
    public PlugboardClient Client(string? url = null, string? key = null)
    {
        var stored = CliConfig.Load(host);
        url ??= host.Environment("PLUGBOARD_URL") is { Length: > 0 } u ? u : stored?.Url;
        key ??= host.Environment("PLUGBOARD_API_KEY") is { Length: > 0 } k ? k : stored?.ApiKey;
        if (url is null || key is null)
        {
            throw new CliException("not logged in: run `plugboard login --url <url> --key -` or set PLUGBOARD_URL and PLUGBOARD_API_KEY.");
        }
        return Build(ParseUrl(url), key);
    }

    public PlugboardClient Build(Uri url, string key)
    {
        var services = new ServiceCollection();
        services.AddPlugboardClient(o =>
        {
            o.BaseAddress = url;
            o.GlobalApiKey = key;
        });
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<PlugboardClient>();
    }

    public static Uri ParseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--url must be an http(s) URL, not '{url}'.");

    /// A file's text, or stdin's for "-". Secrets come this way only, never from argv where `ps` shows them.
    public string ReadText(string pathOrDash, string what)
    {
        if (pathOrDash == "-")
        {
            return host.In.ReadToEnd();
        }
        if (!File.Exists(pathOrDash))
        {
            throw new UsageException($"{what}: no such file '{pathOrDash}'.");
        }
        return File.ReadAllText(pathOrDash);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
