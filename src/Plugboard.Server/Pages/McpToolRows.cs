using System.Text.RegularExpressions;
using Plugboard.Client;

namespace Plugboard.Server.Pages;

/// One row of the MCP server's tools form: a connection of the project, offered as a tool (checked) or not.
public sealed record McpToolRow(bool On, string ToolName, string Action, string ConnectionExternalId, string PieceName, string? ConnectionName, string? Existing);

/// The tools form, generated from the server's tools and the project's connections, and read back from the post.
public static partial class McpToolRows
{
    /// The actions a tool may run: what the API's McpTools accepts (an authenticated call through the proxy).
    public static readonly IReadOnlyList<(string Name, string DisplayName)> Actions = [("custom_api_call", "Custom API call")];

    /// Far more rows than a page ever holds: a post cannot make the server read an unbounded form.
    private const int MaxRows = 1000;

    /// The server's tools first (checked), then one unchecked row per usable connection no tool uses yet.
    public static List<McpToolRow> Build(McpServer server, IEnumerable<AppConnection> connections)
    {
        var usable = connections.Where(c => c.Status != ConnectionStatus.Missing).ToList();
        var rows = server.Tools.Where(t => t.PieceMetadata is not null).Select(t => new McpToolRow(true, t.ToolName, t.PieceMetadata!.ActionName,
            t.PieceMetadata.ConnectionExternalId, t.PieceMetadata.PieceName,
            usable.FirstOrDefault(c => c.ExternalId == t.PieceMetadata.ConnectionExternalId)?.DisplayName, t.ToolName)).ToList();
        var taken = rows.Select(r => r.ToolName).ToHashSet(StringComparer.Ordinal);
        foreach (var c in usable.Where(c => rows.All(r => r.ConnectionExternalId != c.ExternalId)))
        {
            var name = Suggest(c, taken);
            taken.Add(name);
            rows.Add(new McpToolRow(false, name, Actions[0].Name, c.ExternalId, c.PieceName, c.DisplayName, null));
        }
        return rows;
    }

    public static List<McpToolRow> Read(IFormCollection form)
    {
        var rows = new List<McpToolRow>();
        for (var i = 0; i < MaxRows && form.TryGetValue($"connection-{i}", out var connection); i++)
        {
            rows.Add(new McpToolRow(
                form[$"on-{i}"] == "true", ((string?)form[$"toolName-{i}"] ?? "").Trim(), (string?)form[$"action-{i}"] ?? "",
                (string?)connection ?? "", (string?)form[$"piece-{i}"] ?? "", (string?)form[$"title-{i}"], NullIfEmpty(form[$"existing-{i}"])));
        }
        return rows;
    }

    /// The checked rows as the API's tools; an existing tool keeps the piece version and logo it had.
    public static List<McpTool> ToTools(IEnumerable<McpToolRow> rows, McpServer server) =>
    [
        .. rows.Where(r => r.On).Select(r =>
        {
            var before = server.Tools.FirstOrDefault(t => t.ToolName == r.Existing)?.PieceMetadata;
            var action = Actions.FirstOrDefault(a => a.Name == r.Action).DisplayName;
            return McpTool.Piece(r.ToolName, new McpPieceTool(r.PieceName, before?.PieceVersion, r.Action, action, r.ConnectionExternalId, before?.LogoUrl));
        }),
    ];

    /// e.g. slack_support_bot: the piece's short name and the connection's externalId, as a tool name allows.
    private static string Suggest(AppConnection c, HashSet<string> taken)
    {
        var piece = c.PieceName[(c.PieceName.LastIndexOf('/') + 1)..];
        piece = piece.StartsWith("piece-", StringComparison.Ordinal) ? piece["piece-".Length..] : piece;
        var name = NotAllowed().Replace($"{piece}_{c.ExternalId}", "_");
        name = name.Length > 40 ? name[..40] : name;
        var unique = name;
        for (var n = 2; taken.Contains(unique); n++)
        {
            unique = $"{name}_{n}";
        }
        return unique;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex NotAllowed();
}
