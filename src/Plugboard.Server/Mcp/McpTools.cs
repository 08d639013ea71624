using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Pieces;

namespace Plugboard.Server.Mcp;

/// A server's tools checked at configuration: PIECE tools whose action Plugboard can run, named uniquely, each on a
/// connection of the server's own project that belongs to the tool's piece and that the caller may see (an embedded user
/// cannot hand an agent a connection hidden from them: a global or definition connection not marked embedded).
public static partial class McpTools
{
    public const int MaxToolNameLength = 47;
    public const string ListConnections = "list_connections";

    /// The actions a tool may name: those Plugboard runs itself (custom_api_call, through the proxy).
    public static readonly string[] ExecutableActions = ["custom_api_call"];

    public static async Task<ApiError?> CheckAsync(PlugboardDb db, Caller caller, string projectId, IReadOnlyList<McpToolDto?> tools, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var field = $"tools[{i}]";
            var tool = tools[i];
            if (tool is null || tool.Type != "PIECE")
            {
                return ApiError.Validation($"{field}.type must be PIECE: flow tools do not run here.", $"{field}.type");
            }
            if (tool.ToolName is null || !ToolName().IsMatch(tool.ToolName))
            {
                return ApiError.Validation($"{field}.toolName is required: 1–{MaxToolNameLength} letters, digits, '_' or '-'.", $"{field}.toolName");
            }
            if (tool.ToolName == ListConnections || !names.Add(tool.ToolName))
            {
                return ApiError.Validation($"{field}.toolName '{tool.ToolName}' is taken on this server{(tool.ToolName == ListConnections ? " (a built-in tool)" : "")}.", $"{field}.toolName");
            }
            var piece = tool.PieceMetadata;
            if (piece is null)
            {
                return ApiError.Validation($"{field}.pieceMetadata is required.", $"{field}.pieceMetadata");
            }
            if (PieceNames.Check(piece.PieceName, $"{field}.pieceMetadata.pieceName") is { } badPiece)
            {
                return badPiece;
            }
            if (piece.ActionName is null || !ExecutableActions.Contains(piece.ActionName))
            {
                return ApiError.Validation(
                    $"{field}.pieceMetadata.actionName: Plugboard runs the actions {string.Join(", ", ExecutableActions)} (an authenticated call through the proxy); '{piece.ActionName}' cannot run here.",
                    $"{field}.pieceMetadata.actionName");
            }
            if (Validate.Text(piece.ConnectionExternalId, $"{field}.pieceMetadata.connectionExternalId", max: Lengths.ExternalId) is { } noConnection)
            {
                return noConnection;
            }
            var connection = await db.VisibleIn(caller.PlatformId, projectId).SeenBy(db, caller).AsNoTracking()
                .Where(c => c.ExternalId == piece.ConnectionExternalId && c.Status != ConnectionStatus.Missing)
                .Select(c => new { c.PieceName })
                .FirstOrDefaultAsync(ct);
            if (connection is null)
            {
                return ApiError.Validation(
                    $"{field}.pieceMetadata.connectionExternalId: the server's project has no connection '{piece.ConnectionExternalId}'.", $"{field}.pieceMetadata.connectionExternalId");
            }
            if (connection.PieceName != piece.PieceName)
            {
                return ApiError.Validation(
                    $"{field}.pieceMetadata.connectionExternalId: '{piece.ConnectionExternalId}' is a connection of {connection.PieceName}, not {piece.PieceName}.",
                    $"{field}.pieceMetadata.connectionExternalId");
            }
        }
        return null;
    }

    public static IReadOnlyList<McpToolDto> Read(string json) => JsonSerializer.Deserialize<List<McpToolDto>>(json, JsonDefaults.Options) ?? [];

    public static string Write(IReadOnlyList<McpToolDto?> tools) => JsonSerializer.Serialize(tools, JsonDefaults.Options);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,47}$")]
    private static partial Regex ToolName();
}
