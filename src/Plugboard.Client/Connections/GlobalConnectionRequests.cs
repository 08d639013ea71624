using System.Text.Json.Nodes;

namespace Plugboard.Client;

/// <summary>Filters of <see cref="GlobalConnectionsClient.ListAsync"/>, applied by the server before paging.</summary>
public sealed record GlobalConnectionQuery
{
    /// <summary>Only this piece's connections.</summary>
    public string? PieceName { get; init; }

    /// <summary>Only names containing this.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Only these statuses.</summary>
    public IReadOnlyList<ConnectionStatus>? Statuses { get; init; }

    /// <summary>Only connections made from this definition (stable key).</summary>
    public string? Definition { get; init; }

    /// <summary>Only connections whose top-level metadata string <c>key</c> equals the value, for every pair.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Rows per page (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>Creates a global connection, or updates the one with the same externalId.</summary>
public sealed record UpsertGlobalConnectionRequest
{
    /// <summary>The stable name the upsert is keyed by (a new connection each call when null).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Its name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The piece it authenticates.</summary>
    public required string PieceName { get; init; }

    /// <summary>The piece version.</summary>
    public string? PieceVersion { get; init; }

    /// <summary>The credentials; their type is the connection's.</summary>
    public required ConnectionValue Value { get; init; }

    /// <summary>The connection type, taken from <see cref="Value"/>.</summary>
    public ConnectionType Type => Value.Type;

    /// <summary>Always <c>PLATFORM</c>: the one scope this route takes.</summary>
    public string Scope => "PLATFORM";

    /// <summary>Free-form data.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The projects that see it.</summary>
    public IReadOnlyList<string>? ProjectIds { get; init; }

    /// <summary>Whether new projects see it from the start.</summary>
    public bool? PreSelectForNewProjects { get; init; }

    /// <summary>Whether embedded users may see it.</summary>
    public bool? Embedded { get; init; }
}

/// <summary>Changes to a global connection; a null field stays as it is.</summary>
public sealed record UpdateGlobalConnectionRequest
{
    /// <summary>A new name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>New metadata (replaces the old).</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The projects that see it (replaces the list).</summary>
    public IReadOnlyList<string>? ProjectIds { get; init; }

    /// <summary>Whether new projects see it from the start.</summary>
    public bool? PreSelectForNewProjects { get; init; }

    /// <summary>Whether embedded users may see it.</summary>
    public bool? Embedded { get; init; }
}
