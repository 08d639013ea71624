namespace Plugboard.Client;

/// <summary>An MCP server as reads return it: never its token.</summary>
/// <param name="Id">The server's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="Name">Its name.</param>
/// <param name="ProjectId">The project whose connections its tools use.</param>
/// <param name="ExternalId">A second, stable id of the server (never a secret).</param>
/// <param name="Tools">The tools an agent may call through it.</param>
public sealed record McpServer(
    string Id, DateTimeOffset Created, DateTimeOffset Updated, string Name, string ProjectId, string ExternalId, IReadOnlyList<McpTool> Tools);

/// <summary>An MCP server as create and rotate return it: the one time its token is shown. <see cref="ToString"/>
/// never prints the token; keep it where the agent's configuration lives, since no read returns it again.</summary>
/// <param name="Id">The server's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="Name">Its name.</param>
/// <param name="ProjectId">The project whose connections its tools use.</param>
/// <param name="ExternalId">A second, stable id of the server (never a secret).</param>
/// <param name="Tools">The tools an agent may call through it.</param>
/// <param name="Token">The token an agent presents to the server; Plugboard keeps only its hash.</param>
public sealed record CreatedMcpServer(
    string Id, DateTimeOffset Created, DateTimeOffset Updated, string Name, string ProjectId, string ExternalId, IReadOnlyList<McpTool> Tools,
    string Token)
{
    /// <summary>The server without its token, e.g. to pass on to a caller that must never see it.</summary>
    public McpServer WithoutToken() => new(Id, Created, Updated, Name, ProjectId, ExternalId, Tools);

    /// <summary>Everything but the token, which is never printed.</summary>
    public override string ToString() =>
        $"CreatedMcpServer {{ Id = {Id}, Name = {Name}, ProjectId = {ProjectId}, ExternalId = {ExternalId}, Tools = {Tools.Count}, Token = <redacted> }}";
}

/// <summary>A tool of an MCP server: a piece action called with one of the project's connections.</summary>
/// <param name="Type">The tool's kind: <see cref="PieceType"/>, the one Plugboard runs.</param>
/// <param name="ToolName">The name the agent calls it by: 1–47 letters, digits, '_' or '-', unique on the server.</param>
/// <param name="PieceMetadata">The piece action and the connection it uses.</param>
public sealed record McpTool(string Type, string ToolName, McpPieceTool? PieceMetadata)
{
    /// <summary>The type of a tool that runs a piece action.</summary>
    public const string PieceType = "PIECE";

    /// <summary>A <see cref="PieceType"/> tool.</summary>
    public static McpTool Piece(string toolName, McpPieceTool pieceMetadata) => new(PieceType, toolName, pieceMetadata);
}

/// <summary>The piece action a tool runs and the connection it runs with.</summary>
/// <param name="PieceName">The piece, e.g. <c>@activepieces/piece-slack</c>; the connection's piece.</param>
/// <param name="PieceVersion">The piece version.</param>
/// <param name="ActionName">The action, one Plugboard runs itself (<c>custom_api_call</c>).</param>
/// <param name="ActionDisplayName">The action's name as people read it.</param>
/// <param name="ConnectionExternalId">The externalId of a connection of the server's project.</param>
/// <param name="LogoUrl">The piece's logo.</param>
public sealed record McpPieceTool(
    string PieceName, string? PieceVersion, string ActionName, string? ActionDisplayName, string ConnectionExternalId, string? LogoUrl = null);

/// <summary>Filters of <see cref="McpServersClient.ListAsync"/>.</summary>
public sealed record McpServerQuery
{
    /// <summary>The project (required with a platform key; a project key or session implies it).</summary>
    public string? ProjectId { get; init; }

    /// <summary>Only the servers with exactly this name.</summary>
    public string? Name { get; init; }

    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>A new MCP server, with no tools yet.</summary>
public sealed record CreateMcpServerRequest
{
    /// <summary>Its name.</summary>
    public required string Name { get; init; }

    /// <summary>The project (implied by a project key or session).</summary>
    public string? ProjectId { get; init; }
}

/// <summary>Changes to an MCP server; a null field stays as it is.</summary>
public sealed record UpdateMcpServerRequest
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>The tools, replacing the whole list (an empty list removes them all).</summary>
    public IReadOnlyList<McpTool>? Tools { get; init; }
}
