using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Pieces;

namespace Plugboard.Samples.Gelato;

/// The guide's scenario from a shell: provision a customer, register the piece, run its trigger for a customer.
internal static class Program
{
    private const string Usage = """
        usage:
          provision <externalProjectId> <api_key> [base_url]   project + global connection gelato_<externalProjectId>
          register                                             register the Gelato piece's metadata
          run <externalProjectId> [run|test|enable|disable|options] [shop]
                                                               run newFlavorCreated for that customer's project
          demo-gelato <port> <api_key>...                      serve a stand-in Gelato API on 127.0.0.1:<port>
        environment: PLUGBOARD_URL (default http://127.0.0.1:8080), PLUGBOARD_API_KEY (a platform API key, sk-...)
        """;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> Main(string[] args)
    {
        if (args is ["demo-gelato", var port, .. var keys] && keys.Length > 0 && int.TryParse(port, out var portNumber))
        {
            return await ServeDemoGelatoAsync(portNumber, keys);
        }
        var apiKey = Environment.GetEnvironmentVariable("PLUGBOARD_API_KEY");
        if (args.Length == 0 || string.IsNullOrEmpty(apiKey))
        {
            await Console.Error.WriteLineAsync(string.IsNullOrEmpty(apiKey) ? "PLUGBOARD_API_KEY is not set.\n" + Usage : Usage);
            return 2;
        }
        var url = Environment.GetEnvironmentVariable("PLUGBOARD_URL") is { Length: > 0 } set ? set : "http://127.0.0.1:8080";
        using var plugboard = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/") };
        using var gelato = new HttpClient();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var backend = new GelatoBackend(plugboard, apiKey);
        var piece = GelatoPiece.Create(gelato);
        try
        {
            return (args[0], args.Length) switch
            {
                ("provision", 3 or 4) => await ProvisionAsync(backend, args[1], args[2], args.ElementAtOrDefault(3), cancel.Token),
                ("register", 1) => await RegisterAsync(backend, piece, cancel.Token),
                ("run", >= 2 and <= 4) => await RunAsync(backend, plugboard, piece, args[1], args.ElementAtOrDefault(2) ?? "run", args.ElementAtOrDefault(3), cancel.Token),
                _ => await UsageAsync(),
            };
        }
        catch (Exception e) when (e is ConnectionException or HttpRequestException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"{e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> ProvisionAsync(GelatoBackend backend, string externalProjectId, string apiKey, string? baseUrl, CancellationToken ct)
    {
        var projectId = await backend.GetOrCreateProjectAsync(externalProjectId, ct);
        var props = new JsonObject { ["api_key"] = apiKey };
        if (baseUrl is not null)
        {
            props["base_url"] = baseUrl;
        }
        var connectionId = await backend.UpsertGlobalConnectionAsync(projectId, externalProjectId, props, ct);
        Console.WriteLine($"project {projectId} ({externalProjectId}): connection {GelatoPiece.ConnectionKey(externalProjectId)} ({connectionId})");
        return 0;
    }

    private static async Task<int> RegisterAsync(GelatoBackend backend, Piece piece, CancellationToken ct)
    {
        var stored = await backend.RegisterPieceAsync(piece, ct);
        Console.WriteLine($"registered {stored["name"]} {stored["version"]}");
        return 0;
    }

    private static async Task<int> RunAsync(
        GelatoBackend backend, HttpClient plugboard, Piece piece, string externalProjectId, string hook, string? shop, CancellationToken ct)
    {
        var projectId = await backend.FindProjectAsync(externalProjectId, ct)
            ?? throw new InvalidOperationException($"No project has externalId '{externalProjectId}': run `provision` first.");
        var runner = new PieceRunner(plugboard, await backend.IssueEngineTokenAsync(projectId, ct: ct));
        var options = shop is null || hook == "options"
            ? await runner.LoadOptionsAsync(piece, GelatoPiece.NewFlavorCreated, GelatoPiece.ShopProp, [], ct)
            : null;
        if (hook == "options")
        {
            Print(new JsonArray([.. options!.Options.Select(o => new JsonObject { ["label"] = o.Label, ["value"] = o.Value?.DeepClone() })]));
            return 0;
        }
        var input = new JsonObject { [GelatoPiece.ShopProp] = shop ?? options!.Options.FirstOrDefault()?.Value?.DeepClone() };
        TriggerHook? parsed = hook switch
        {
            "run" => TriggerHook.Run,
            "test" => TriggerHook.Test,
            "enable" => TriggerHook.OnEnable,
            "disable" => TriggerHook.OnDisable,
            _ => null,
        };
        if (parsed is null)
        {
            return await UsageAsync();
        }
        Print(await runner.RunTriggerAsync(piece, GelatoPiece.NewFlavorCreated, parsed.Value, input, ct));
        return 0;
    }

    /// Gelato's API for the walk-through: each key given opens an account with one shop; runs until Ctrl+C.
    private static async Task<int> ServeDemoGelatoAsync(int port, string[] apiKeys)
    {
        await using var gelato = await DemoGelatoApi.StartAsync(port);
        foreach (var (key, i) in apiKeys.Select((k, i) => (k, i + 1)))
        {
            gelato.AddAccount(key, $"shop_{i}", $"Shop {i}", "Pistachio", "Stracciatella", "Hazelnut");
        }
        // The empty host installs no console lifetime: without these, SIGTERM (`kill %1` on a job started
        // with `&`) would not reach it and the port would stay taken. Registered before the ready line, so a
        // signal sent as soon as it is read is never swallowed.
        var stop = new TaskCompletionSource();
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        Console.WriteLine($"demo Gelato API on {gelato.BaseUrl} for {apiKeys.Length} key(s); Ctrl+C or kill stops it");
        await stop.Task;
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    private static void Print(JsonNode node) => Console.WriteLine(node.ToJsonString(Indented));

    private static async Task<int> UsageAsync()
    {
        await Console.Error.WriteLineAsync(Usage);
        return 2;
    }
}
