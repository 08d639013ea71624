namespace Plugboard.Server.Mcp;

/// A tool, in the reference's shape: `{type:'PIECE', toolName, pieceMetadata}`.
public sealed record McpToolDto(string? Type, string? ToolName, McpPieceToolDto? PieceMetadata);

public sealed record McpPieceToolDto(
    string? PieceName, string? PieceVersion, string? ActionName, string? ActionDisplayName, string? ConnectionExternalId, string? LogoUrl = null);

/// A server as reads return it: never its token.
public sealed record McpServerDto(string Id, DateTime Created, DateTime Updated, string Name, string ProjectId, string ExternalId, IReadOnlyList<McpToolDto> Tools);

/// Returned by create and rotate only, with Cache-Control: no-store: the one time the token is shown.
public sealed record CreatedMcpServerDto(
    string Id, DateTime Created, DateTime Updated, string Name, string ProjectId, string ExternalId, IReadOnlyList<McpToolDto> Tools, string Token);

public sealed record CreateMcpServerRequest(string? Name, string? ProjectId = null);

/// Each field given replaces the stored one; `tools` replaces the whole list.
public sealed record UpdateMcpServerRequest(string? Name = null, McpToolDto[]? Tools = null);
