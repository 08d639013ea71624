using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Client;

namespace Plugboard.Cli;

/// The commands that call a server's API through the SDK.
internal static class ApiCommands
{
    public static void Add(RootCommand root, CliHost host)
    {
        root.Add(Projects(host));
        root.Add(Connections(host));
        root.Add(Global(host));
        root.Add(Keys(host));
        root.Add(Audit(host));
        root.Add(Sync(host));
    }

    private static readonly (string, Func<Project, object?>)[] ProjectColumns =
    [
        ("id", p => p.Id), ("externalId", p => p.ExternalId), ("displayName", p => p.DisplayName), ("type", p => p.Type), ("created", p => p.Created),
    ];

    private static readonly (string, Func<AppConnection, object?>)[] ConnectionColumns =
    [
        ("id", c => c.Id), ("externalId", c => c.ExternalId), ("displayName", c => c.DisplayName), ("pieceName", c => c.PieceName),
        ("type", c => c.Type), ("status", c => c.Status), ("expiresAt", c => c.ExpiresAt), ("projectIds", c => c.ProjectIds),
    ];

    private static readonly (string, Func<AppConnection, object?>)[] ConnectionFields =
    [
        .. ConnectionColumns, ("scope", c => c.Scope), ("statusReason", c => c.StatusReason), ("nextRefreshAt", c => c.NextRefreshAt),
        ("metadata", c => c.Metadata), ("created", c => c.Created), ("updated", c => c.Updated),
    ];

    private static Command Projects(CliHost host)
    {
        var list = new Command("list", "List the platform's projects.");
        var externalId = new Option<string>("--external-id") { Description = "only the project with this externalId" };
        list.Add(externalId);
        CliApp.Action(list, host, async (s, ct) =>
        {
            var items = await ToListAsync(s.Client().Projects.ListAllAsync(new ProjectQuery { ExternalId = s.Get(externalId) }, ct));
            s.Output.List(items, ProjectColumns);
        });

        var id = new Argument<string>("id") { Description = "the project's id" };
        var get = new Command("get", "Show one project.") { id };
        CliApp.Action(get, host, async (s, ct) => s.Output.One(await s.Client().Projects.GetAsync(s.Get(id)!, ct), ProjectColumns));

        var name = new Option<string>("--name") { Description = "the display name", Required = true };
        var newExternalId = new Option<string>("--external-id") { Description = "your id for it" };
        var metadataFile = new Option<string>("--metadata-file") { Description = "a JSON object file (or - for stdin)" };
        var create = new Command("create", "Create a project.") { name, newExternalId, metadataFile };
        CliApp.Action(create, host, async (s, ct) =>
        {
            var project = await s.Client().Projects.CreateAsync(new CreateProjectRequest
            {
                DisplayName = s.Get(name)!,
                ExternalId = s.Get(newExternalId),
                Metadata = Metadata(s, s.Get(metadataFile)),
            }, ct);
            s.Output.One(project, ProjectColumns);
        });
        return new Command("projects", "Projects.") { list, get, create };
    }

    private static Command Connections(CliHost host)
    {
        var project = new Option<string>("--project") { Description = "the project's id" };
        var list = new Command("list", "List a project's connections (its own and the global ones it may use).") { project };
        project.Required = true;
        CliApp.Action(list, host, async (s, ct) =>
            s.Output.List(await ToListAsync(s.Client().AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = s.Get(project) }, ct)), ConnectionColumns));

        var id = new Argument<string>("id") { Description = "the connection's id" };
        var get = new Command("get", "Show one connection (never its value).") { id };
        CliApp.Action(get, host, async (s, ct) => s.Output.One(await s.Client().AppConnections.GetAsync(s.Get(id)!, ct), ConnectionFields));

        var upsertProject = new Option<string>("--project") { Description = "the project's id", Required = true };
        var (externalId, name, piece, pieceVersion, valueFile, metadataFile) = UpsertOptions();
        var upsert = new Command("upsert", "Create or replace a project connection by externalId; the value comes from a file or stdin, never argv.")
        {
            upsertProject, externalId, name, piece, pieceVersion, valueFile, metadataFile,
        };
        CliApp.Action(upsert, host, async (s, ct) =>
        {
            var value = Value(s, s.Get(valueFile)!);
            var connection = await s.Client().AppConnections.UpsertAsync(new UpsertAppConnectionRequest
            {
                ProjectId = s.Get(upsertProject),
                ExternalId = s.Get(externalId)!,
                DisplayName = s.Get(name) ?? s.Get(externalId)!,
                PieceName = s.Get(piece)!,
                PieceVersion = s.Get(pieceVersion),
                Value = value,
                Metadata = Metadata(s, s.Get(metadataFile)),
            }, ct);
            s.Output.One(connection, ConnectionFields);
        });

        var deleteId = new Argument<string>("id") { Description = "the connection's id" };
        var delete = new Command("delete", "Delete a project connection.") { deleteId };
        CliApp.Action(delete, host, async (s, ct) =>
        {
            await s.Client().AppConnections.DeleteAsync(s.Get(deleteId)!, ct);
            s.Output.Line($"Deleted {s.Get(deleteId)}.");
            if (s.Output.IsJson)
            {
                s.Output.WriteJson(new { id = s.Get(deleteId), deleted = true });
            }
        });

        var refreshId = new Argument<string>("id") { Description = "the OAuth2 connection's id" };
        var force = new Option<bool>("--force") { Description = "refresh even if the token is not due" };
        var refresh = new Command("refresh", "Refresh an OAuth2 connection's token now.") { refreshId, force };
        CliApp.Action(refresh, host, async (s, ct) =>
            s.Output.One(await s.Client().AppConnections.RefreshAsync(s.Get(refreshId)!, s.Get(force) ? true : null, ct), ConnectionFields));

        return new Command("connections", "Project connections.") { list, get, upsert, delete, refresh };
    }

    private static Command Global(CliHost host)
    {
        var list = new Command("list", "List the platform's global connections.");
        CliApp.Action(list, host, async (s, ct) =>
            s.Output.List(await ToListAsync(s.Client().GlobalConnections.ListAllAsync(null, ct)), ConnectionColumns));

        var projects = new Option<string[]>("--project") { Description = "a project id that may use it (repeat the option)", AllowMultipleArgumentsPerToken = true };
        var (externalId, name, piece, pieceVersion, valueFile, metadataFile) = UpsertOptions();
        var upsert = new Command("upsert", "Create or replace a global connection by externalId; the value comes from a file or stdin, never argv.")
        {
            projects, externalId, name, piece, pieceVersion, valueFile, metadataFile,
        };
        CliApp.Action(upsert, host, async (s, ct) =>
        {
            var value = Value(s, s.Get(valueFile)!);
            var connection = await s.Client().GlobalConnections.UpsertAsync(new UpsertGlobalConnectionRequest
            {
                ExternalId = s.Get(externalId),
                DisplayName = s.Get(name) ?? s.Get(externalId)!,
                PieceName = s.Get(piece)!,
                PieceVersion = s.Get(pieceVersion),
                Value = value,
                Metadata = Metadata(s, s.Get(metadataFile)),
                ProjectIds = s.Get(projects) is { Length: > 0 } ids ? ids : null,
            }, ct);
            s.Output.One(connection, ConnectionFields);
        });

        var id = new Argument<string>("id") { Description = "the global connection's id" };
        var delete = new Command("delete", "Delete a global connection.") { id };
        CliApp.Action(delete, host, async (s, ct) =>
        {
            await s.Client().GlobalConnections.DeleteAsync(s.Get(id)!, ct);
            s.Output.Line($"Deleted {s.Get(id)}.");
            if (s.Output.IsJson)
            {
                s.Output.WriteJson(new { id = s.Get(id), deleted = true });
            }
        });
        return new Command("global", "Global (platform) connections.") { list, upsert, delete };
    }

    private static Command Keys(CliHost host)
    {
        (string, Func<ApiKey, object?>)[] columns =
            [("id", k => k.Id), ("displayName", k => k.DisplayName), ("truncatedValue", k => k.TruncatedValue), ("projectId", k => k.ProjectId), ("created", k => k.Created)];
        var list = new Command("list", "List API keys (never their values).");
        CliApp.Action(list, host, async (s, ct) => s.Output.List(await ToListAsync(s.Client().ApiKeys.ListAllAsync(null, ct)), columns));

        var name = new Option<string>("--name") { Description = "what the key is for", Required = true };
        var project = new Option<string>("--project") { Description = "a project id, for a key of that project only" };
        var create = new Command("create", "Create an API key; its value is shown this once.") { name, project };
        CliApp.Action(create, host, async (s, ct) =>
        {
            var key = await s.Client().ApiKeys.CreateAsync(new CreateApiKeyRequest { DisplayName = s.Get(name)!, ProjectId = s.Get(project) }, ct);
            if (s.Output.IsJson)
            {
                s.Output.WriteJson(key);
                return;
            }
            s.Output.One(key, [("id", k => k.Id), ("displayName", k => k.DisplayName), ("projectId", k => k.ProjectId), ("value", k => k.Value)]);
            s.Output.Line("Store the value now: it is not shown again.");
        });

        var id = new Argument<string>("id") { Description = "the key's id" };
        var delete = new Command("delete", "Delete an API key.") { id };
        CliApp.Action(delete, host, async (s, ct) =>
        {
            await s.Client().ApiKeys.DeleteAsync(s.Get(id)!, ct);
            s.Output.Line($"Deleted {s.Get(id)}.");
            if (s.Output.IsJson)
            {
                s.Output.WriteJson(new { id = s.Get(id), deleted = true });
            }
        });
        return new Command("keys", "API keys.") { list, create, delete };
    }

    private static Command Audit(CliHost host)
    {
        var limit = new Option<int>("--limit", "-n") { Description = "how many of the newest events", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep polling for new events until interrupted" };
        var interval = new Option<double>("--interval") { Description = "seconds between polls with --follow", DefaultValueFactory = _ => 2 };
        var action = new Option<string>("--action") { Description = "only this action, e.g. connection.upserted" };
        var tail = new Command("tail", "The newest audit events, oldest first; --follow polls for more.") { limit, follow, interval, action };
        (string, Func<AuditEvent, object?>)[] columns =
            [("created", e => e.Created), ("action", e => e.Action), ("actor", e => $"{e.ActorType}:{e.ActorId}"), ("entity", e => $"{e.EntityType}:{e.EntityId}"), ("projectId", e => e.ProjectId)];
        CliApp.Action(tail, host, async (s, ct) =>
        {
            var client = s.Client();
            var seen = new HashSet<string>();
            var page = await client.AuditEvents.ListAsync(new AuditEventQuery { Limit = Math.Clamp(s.Get(limit), 1, 100), Action = s.Get(action) }, cancellationToken: ct);
            var events = page.Data.OrderBy(e => e.Created).ThenBy(e => e.Id).ToList();
            Write(s, events, columns);
            seen.UnionWith(events.Select(e => e.Id));
            var since = events.Count > 0 ? events[^1].Created : DateTimeOffset.UtcNow;
            while (s.Get(follow))
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.1, s.Get(interval))), ct);
                var fresh = new List<AuditEvent>();
                await foreach (var e in client.AuditEvents.ListAllAsync(new AuditEventQuery { From = since, Action = s.Get(action) }, ct))
                {
                    if (seen.Add(e.Id))
                    {
                        fresh.Add(e);
                    }
                }
                fresh = [.. fresh.OrderBy(e => e.Created).ThenBy(e => e.Id)];
                if (fresh.Count > 0)
                {
                    since = fresh[^1].Created;
                    Write(s, fresh, columns);
                }
            }
        });
        return new Command("audit", "Audit events.") { tail };

        // Followed output is one line per event (a table cannot grow), JSON one object per line.
        static void Write(CliSession s, List<AuditEvent> events, (string, Func<AuditEvent, object?>)[] columns)
        {
            foreach (var e in events)
            {
                s.Host.Out.WriteLine(s.Output.IsJson
                    ? JsonSerializer.Serialize(e, Output.Json).ReplaceLineEndings("").Replace("  ", "", StringComparison.Ordinal)
                    : string.Join("  ", columns.Select(c => Output.Format(c.Item2(e)))));
            }
        }
    }

    private static Command Sync(CliHost host)
    {
        var file = new Option<string>("--file") { Description = "the bundle file (- for stdout/stdin)", DefaultValueFactory = _ => "-" };
        var passphraseFile = new Option<string>("--passphrase-file") { Description = "a file holding the passphrase that seals secrets in the bundle" };
        var export = new Command("export", "Export the platform's configuration as a sync bundle.") { file, passphraseFile };
        CliApp.Action(export, host, async (s, ct) =>
        {
            var passphrase = s.Get(passphraseFile) is { } p ? s.ReadText(p, "--passphrase-file").Trim() : null;
            var bundle = await s.Client().Sync.ExportAsync(passphrase, ct);
            var text = JsonSerializer.Serialize(bundle, Output.Json);
            if (s.Get(file) is "-" or null)
            {
                s.Host.Out.WriteLine(text);
            }
            else
            {
                await File.WriteAllTextAsync(s.Get(file)!, text, ct);
                await s.Host.Error.WriteLineAsync($"Exported {bundle.Items.Count} items to {s.Get(file)}.");
            }
        });

        var importFile = new Option<string>("--file") { Description = "the bundle file (- for stdin)", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "report what would change, change nothing" };
        var prune = new Option<bool>("--prune") { Description = "delete what the bundle does not hold" };
        var importPassphrase = new Option<string>("--passphrase-file") { Description = "a file holding the bundle's passphrase" };
        var import = new Command("import", "Apply a sync bundle.") { importFile, dryRun, prune, importPassphrase };
        CliApp.Action(import, host, async (s, ct) =>
        {
            SyncBundle bundle;
            try
            {
                bundle = JsonSerializer.Deserialize<SyncBundle>(s.ReadText(s.Get(importFile)!, "--file"), Output.Json)
                    ?? throw new UsageException("--file holds no bundle.");
            }
            catch (JsonException e)
            {
                throw new UsageException($"--file is not a sync bundle: {e.Message}");
            }
            var passphrase = s.Get(importPassphrase) is { } p ? s.ReadText(p, "--passphrase-file").Trim() : null;
            var report = await s.Client().Sync.ImportAsync(bundle, new SyncImportOptions
            {
                DryRun = s.Get(dryRun) ? true : null,
                Prune = s.Get(prune) ? true : null,
                Passphrase = passphrase,
            }, ct);
            if (s.Output.IsJson)
            {
                s.Output.WriteJson(report);
                return;
            }
            var rows = new List<(string Outcome, SyncChange Change)>();
            rows.AddRange(report.Created.Select(c => ("created", c)));
            rows.AddRange(report.Updated.Select(c => ("updated", c)));
            rows.AddRange(report.Unchanged.Select(c => ("unchanged", c)));
            rows.AddRange(report.NeedsSecrets.Select(c => ("needs secrets", c)));
            rows.AddRange(report.Conflicts.Select(c => ("conflict", c)));
            rows.AddRange(report.Deleted.Select(c => ("deleted", c)));
            s.Output.List(rows, ("outcome", r => r.Outcome), ("kind", r => r.Change.Kind), ("key", r => r.Change.Key), ("changes", r => r.Change.Changes));
        });
        return new Command("sync", "Move configuration between servers.") { export, import };
    }

    private static (Option<string>, Option<string>, Option<string>, Option<string>, Option<string>, Option<string>) UpsertOptions() =>
    (
        new Option<string>("--external-id") { Description = "the stable id flows use", Required = true },
        new Option<string>("--name") { Description = "the display name (default: the externalId)" },
        new Option<string>("--piece") { Description = "the piece, e.g. @activepieces/piece-slack", Required = true },
        new Option<string>("--piece-version") { Description = "the piece's version" },
        new Option<string>("--value-file") { Description = "the value as JSON, e.g. {\"type\":\"SECRET_TEXT\",\"secret_text\":\"…\"}, from a file or - for stdin", Required = true },
        new Option<string>("--metadata-file") { Description = "a JSON object file (or - for stdin)" }
    );

    private static ConnectionValue Value(CliSession s, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ConnectionValue>(s.ReadText(path, "--value-file"), Output.Json)
                ?? throw new UsageException("--value-file holds null, not a connection value.");
        }
        catch (JsonException)
        {
            // The parser's message may quote the value: say what is wrong without it.
            throw new UsageException("--value-file is not a connection value: a JSON object with a known \"type\" (SECRET_TEXT, BASIC_AUTH, CUSTOM_AUTH, NO_AUTH, OAUTH2, …).");
        }
    }

    private static JsonObject? Metadata(CliSession s, string? path)
    {
        if (path is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(s.ReadText(path, "--metadata-file")) as JsonObject ?? throw new UsageException("--metadata-file must hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--metadata-file is not JSON: {e.Message}");
        }
    }

    internal static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }
}
