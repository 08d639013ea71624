using System.CommandLine;
using Npgsql;
using Plugboard.Cli.Activepieces;
using Spectre.Console;

namespace Plugboard.Cli;

internal static class ImportCommand
{
    public static void Add(RootCommand root, CliHost host)
    {
        var database = new Option<string>("--database") { Description = "the Activepieces PostgreSQL database (postgres://user:pass@host/db or an Npgsql connection string)", Required = true };
        var key = new Option<string>("--encryption-key") { Description = "Activepieces' AP_ENCRYPTION_KEY, @<file> holding it, or - for stdin (default: $AP_ENCRYPTION_KEY)" };
        var platform = new Option<string>("--platform") { Description = "the Activepieces platform to import, when the database has several" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the plan, write nothing" };
        var url = new Option<string>("--url") { Description = "the Plugboard server (default: login or PLUGBOARD_URL)" };
        var apiKey = new Option<string>("--key") { Description = "a Plugboard platform API key, or - for stdin (default: login or PLUGBOARD_API_KEY)" };
        var apiKeyFile = new Option<string>("--key-file") { Description = "a file holding the Plugboard API key" };
        var activepieces = new Command("activepieces", "Import an Activepieces platform's projects and connections through the API; safe to re-run.")
        {
            database, key, platform, dryRun, url, apiKey, apiKeyFile,
        };
        CliApp.Action(activepieces, host, (s, ct) => RunAsync(s, new Settings(
            s.Get(database)!, s.Get(key), s.Get(platform), s.Get(dryRun), s.Get(url), s.Get(apiKey), s.Get(apiKeyFile)), ct));
        root.Add(new Command("import", "Bring connections over from another system.") { activepieces });
    }

    private sealed record Settings(string Database, string? Key, string? Platform, bool DryRun, string? Url, string? ApiKey, string? ApiKeyFile);

    private static async Task<int> RunAsync(CliSession s, Settings settings, CancellationToken ct)
    {
        var keyText = settings.Key switch
        {
            null => s.Host.Environment("AP_ENCRYPTION_KEY") ?? throw new UsageException("give --encryption-key (@file or -) or set AP_ENCRYPTION_KEY."),
            "-" => s.ReadText("-", "--encryption-key"),
            ['@', .. var path] => s.ReadText(path, "--encryption-key"),
            var literal => literal,
        };
        var encryption = new ApEncryption(keyText.Trim());
        var plugboardKey = LoginCommand.ReadKey(s, settings.ApiKey, settings.ApiKeyFile);
        var client = s.Client(settings.Url, plugboardKey);

        List<string> platforms;
        List<ApProject> projects;
        List<ApConnection> connections;
        try
        {
            (platforms, projects, connections) = await ApDatabase.ReadAsync(ConnectionString(settings.Database), ct);
        }
        catch (NpgsqlException e)
        {
            throw new CliException($"cannot read the Activepieces database: {e.Message}");
        }
        var platformId = settings.Platform ?? (platforms.Count == 1
            ? platforms[0]
            : throw new UsageException(platforms.Count == 0
                ? "the database has no platform."
                : $"the database has {platforms.Count} platforms: choose one with --platform ({string.Join(", ", platforms)})."));
        if (!platforms.Contains(platformId))
        {
            throw new UsageException($"the database has no platform '{platformId}'.");
        }
        projects = [.. projects.Where(p => p.PlatformId == platformId)];
        connections = [.. connections.Where(c => c.PlatformId == platformId)];

        var output = s.Output;
        var verb = settings.DryRun ? "would be " : "";
        var fancy = s.Host.OutputIsTerminal && !output.IsJson;
        var importer = (ActivepiecesImport?)null;
        ImportSummary summary;
        if (fancy)
        {
            summary = await output.Console.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask(settings.DryRun ? "Planning" : "Importing", maxValue: Math.Max(1, projects.Count + connections.Count));
                importer = new ActivepiecesImport(client, encryption, settings.DryRun, item => task.Increment(1));
                return await importer.RunAsync(projects, connections, null, ct);
            });
            foreach (var item in importer!.Items.Where(i => i.Outcome is ImportOutcome.Skipped or ImportOutcome.Failed || i.Reason is not null))
            {
                output.Line(Line(item, verb));
            }
        }
        else
        {
            var gate = new object();
            importer = new ActivepiecesImport(client, encryption, settings.DryRun, item =>
            {
                if (!output.IsJson)
                {
                    lock (gate)
                    {
                        s.Host.Out.WriteLine(Line(item, verb));
                    }
                }
            });
            summary = await importer.RunAsync(projects, connections, null, ct);
        }

        var opened = importer!.Items.Count(i => i.Kind != "project" && i.Outcome != ImportOutcome.Skipped);
        if (connections.Count > 0 && opened == 0 && importer.Items.All(i => i.Kind == "project" || i.Reason?.StartsWith("its value does not open", StringComparison.Ordinal) == true))
        {
            await s.Host.Error.WriteLineAsync("error: no connection value opened: is --encryption-key this database's AP_ENCRYPTION_KEY?");
        }
        if (output.IsJson)
        {
            output.WriteJson(new { summary, items = importer.Items.OrderBy(i => i.Kind).ThenBy(i => i.ActivepiecesId) });
        }
        else
        {
            output.Line($"{(settings.DryRun ? "Dry run (nothing written): " : "")}{summary.Created} {verb}created, {summary.Updated} {verb}updated, " +
                $"{summary.Unchanged} unchanged, {summary.Skipped} skipped, {summary.Failed} failed.");
            output.Line($"{summary.Connections} connections in {summary.Seconds:0.###} s: {summary.ConnectionsPerSecond:0.#} connections/s.");
        }
        // Anything left behind is a failure a script must see, even when the rest came over.
        return summary.Skipped + summary.Failed > 0 ? CliApp.Failed : CliApp.Ok;
    }

    private static string Line(ImportItem item, string verb)
    {
        var outcome = item.Outcome switch
        {
            ImportOutcome.Created => verb + "created",
            ImportOutcome.Updated => verb + "updated",
            ImportOutcome.Unchanged => "unchanged",
            ImportOutcome.Skipped => "skipped",
            _ => "failed",
        };
        return $"{outcome}: {item.Kind} {item.ActivepiecesId} ({item.ExternalId}){(item.Reason is null ? "" : ": " + item.Reason)}";
    }

    /// postgres:// URLs (what Activepieces' AP_POSTGRES_URL holds) become Npgsql connection strings.
    internal static string ConnectionString(string database)
    {
        if (!database.StartsWith("postgres://", StringComparison.Ordinal) && !database.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return database;
        }
        var uri = new Uri(database);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo is { Length: > 0 } info)
        {
            var parts = info.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv[0] == "sslmode" && kv.Length == 2 && Enum.TryParse<SslMode>(kv[1].Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode))
            {
                builder.SslMode = mode;
            }
        }
        return builder.ConnectionString;
    }
}
