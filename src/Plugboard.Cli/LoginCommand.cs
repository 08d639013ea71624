using System.CommandLine;
using Plugboard.Client;

namespace Plugboard.Cli;

internal static class LoginCommand
{
    public static void Add(RootCommand root, CliHost host)
    {
        var url = new Option<string>("--url") { Description = "the server, e.g. https://plugboard.example.com", Required = true };
        var key = new Option<string>("--key") { Description = "the API key, or - to read it from stdin" };
        var keyFile = new Option<string>("--key-file") { Description = "a file holding the API key" };
        var login = new Command("login", "Check a server and API key, and store them for the next commands (mode 0600).") { url, key, keyFile };
        CliApp.Action(login, host, async (s, ct) =>
        {
            var apiKey = ReadKey(s, s.Get(key), s.Get(keyFile)) ?? throw new UsageException("give the API key with --key - (stdin) or --key-file <path>.");
            var address = CliSession.ParseUrl(s.Get(url)!);
            // One cheap authenticated call, so a wrong key fails here and not at the next command.
            await s.Build(address, apiKey).Projects.ListAsync(new ProjectQuery { Limit = 1 }, cancellationToken: ct);
            new CliConfig(address.ToString(), apiKey).Save(host);
            s.Output.Line($"Logged in to {address} (stored in {CliConfig.PathOf(host)}).");
            if (s.Output.IsJson)
            {
                s.Output.WriteJson(new { url = address.ToString(), config = CliConfig.PathOf(host) });
            }
        });
        root.Add(login);
    }

    /// `--key -` reads stdin, `--key-file` a file; a literal `--key` works too but shows in `ps`.
    public static string? ReadKey(CliSession s, string? key, string? keyFile)
    {
        if (key is not null && keyFile is not null)
        {
            throw new UsageException("give --key or --key-file, not both.");
        }
        var text = key == "-" ? s.ReadText("-", "--key") : keyFile is not null ? s.ReadText(keyFile, "--key-file") : key;
        return text?.Trim() is { Length: > 0 } trimmed ? trimmed : null;
    }
}
