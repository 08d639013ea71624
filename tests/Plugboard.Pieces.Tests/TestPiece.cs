using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces.Tests;

/// A piece whose operations report what their context held, and record the hooks that ran.
internal static class TestPiece
{
    public static Piece Create(ConcurrentQueue<string>? calls = null)
    {
        calls ??= new();
        return new Piece
        {
            Name = "@acme/piece-test",
            Version = "0.1.0",
            DisplayName = "Test",
            Auth = [PieceAuth.SecretText("Token")],
            Actions =
            [
                new PieceAction
                {
                    Name = "echo",
                    DisplayName = "Echo",
                    Props = new Dictionary<string, PieceProp>
                    {
                        ["name"] = PieceProp.ShortText("Name", required: true),
                        ["limit"] = PieceProp.Number("Limit"),
                        ["region"] = PieceProp.StaticDropdown("Region", ["eu", "us"]),
                        ["sandbox"] = PieceProp.Checkbox("Sandbox"),
                        ["code"] = PieceProp.ShortText("Code", pattern: "^[A-Z]{3}$"),
                    },
                    Run = context => Task.FromResult<JsonNode?>(new JsonObject
                    {
                        ["auth"] = context.Auth.ToString(),
                        ["limit"] = context.Props.GetNumber("limit"),
                        ["props"] = context.Props.Json.DeepClone(),
                    }),
                },
                new PieceAction
                {
                    Name = "whoami",
                    DisplayName = "Who am I",
                    RequireAuth = false,
                    Run = async context => new JsonObject
                    {
                        ["projectId"] = context.Project.Id,
                        ["externalId"] = await context.Project.ExternalIdAsync(context.CancellationToken),
                        ["again"] = await context.Project.ExternalIdAsync(context.CancellationToken),
                        ["hasAuth"] = context.HasAuth,
                    },
                },
                new PieceAction
                {
                    Name = "touchAuth",
                    DisplayName = "Touch auth",
                    RequireAuth = false,
                    Run = context => Task.FromResult<JsonNode?>(context.Auth.Type),
                },
            ],
            Triggers =
            [
                new PieceTrigger
                {
                    Name = "poll",
                    DisplayName = "Poll",
                    RequireAuth = false,
                    Props = new Dictionary<string, PieceProp>
                    {
                        ["list"] = PieceProp.Dropdown("List", LoadListsAsync, required: true),
                        ["limit"] = PieceProp.Number("Limit"),
                    },
                    OnEnable = context => Record(calls, context),
                    OnDisable = context => Record(calls, context),
                    Run = async context =>
                    {
                        await Record(calls, context);
                        var key = "acme_" + await context.Project.ExternalIdAsync(context.CancellationToken);
                        var connection = await context.Connections.GetAsync(key, context.CancellationToken);
                        return [new JsonObject { ["list"] = context.Props.GetString("list"), ["via"] = connection.ToString() }];
                    },
                },
            ],
        };
    }

    private static async Task<DropdownOptions> LoadListsAsync(OptionsContext context)
    {
        var key = "acme_" + await context.Project.ExternalIdAsync(context.CancellationToken);
        var connection = await context.Connections.GetAsync(key, context.CancellationToken);
        return new DropdownOptions(
        [
            new DropdownOption($"{context.PropName} of {connection.ExternalId}", "l1"),
            new DropdownOption($"limit {context.Props.GetNumber("limit")}", "l2"),
        ]) { Placeholder = "Pick a list" };
    }

    private static Task Record(ConcurrentQueue<string> calls, TriggerContext context)
    {
        calls.Enqueue($"{context.Hook}:{context.Props.GetString("list")}");
        return Task.CompletedTask;
    }
}
