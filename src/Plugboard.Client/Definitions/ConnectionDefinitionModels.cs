using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>Whose credentials a definition's connections hold.</summary>
public enum DefinitionCredentials
{
    /// <summary>The organization's: one global connection every customer (or the projects named) uses.</summary>
    [JsonStringEnumMemberName("ORGANIZATION")] Organization,

    /// <summary>Each customer's own: every project makes its connection from the definition.</summary>
    [JsonStringEnumMemberName("CUSTOMER")] Customer,
}

/// <summary>A connection definition as reads return it: the names of its global values, never the values.</summary>
/// <param name="Id">The definition's id.</param>
/// <param name="StableKey">The key it is upserted, read and synced by (the same in every tenant).</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="PieceName">The piece its connections authenticate.</param>
/// <param name="PieceVersion">The piece version it was made for.</param>
/// <param name="Type">The connection type of its connections.</param>
/// <param name="Credentials">Whose credentials its connections hold.</param>
/// <param name="SuppliedBy">Who supplies a customer's credentials (CUSTOMER credentials only).</param>
/// <param name="GlobalValueKeys">The paths of the fields its global values fix (e.g. <c>props.base_url</c>).</param>
/// <param name="Embedded">Whether embedded users see it.</param>
/// <param name="ProxyBaseUrl">The base URL the proxy calls its connections' API under.</param>
/// <param name="HasTestValue">Whether it has a test credential for test runs.</param>
/// <param name="Status">Whether it can be used (MISSING until a sync supplies its secrets).</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
public sealed record ConnectionDefinition(
    string Id, string StableKey, string DisplayName, string PieceName, string? PieceVersion, ConnectionType Type,
    DefinitionCredentials Credentials, CredentialSupplier? SuppliedBy, IReadOnlyList<string> GlobalValueKeys, bool Embedded,
    string? ProxyBaseUrl, bool HasTestValue, ConnectionStatus Status, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>Filters of <see cref="ConnectionDefinitionsClient.ListAsync"/>.</summary>
public sealed record ConnectionDefinitionQuery
{
    /// <summary>Only this piece's definitions.</summary>
    public string? PieceName { get; init; }

    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>Creates the definition with this stable key, or replaces the one that has it (201 or 200).
/// <see cref="ToString"/> never shows the global values or the value.</summary>
public sealed record UpsertConnectionDefinitionRequest
{
    /// <summary>The stable key: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128.</summary>
    public required string StableKey { get; init; }

    /// <summary>Its name (also the name of the connections made from it).</summary>
    public required string DisplayName { get; init; }

    /// <summary>The piece its connections authenticate.</summary>
    public required string PieceName { get; init; }

    /// <summary>The connection type; the piece must take it when it is registered.</summary>
    public required ConnectionType Type { get; init; }

    /// <summary>Whose credentials its connections hold.</summary>
    public required DefinitionCredentials Credentials { get; init; }

    /// <summary>Who supplies a customer's credentials (CUSTOMER credentials only; <c>CUSTOMER</c> when null).</summary>
    public CredentialSupplier? SuppliedBy { get; init; }

    /// <summary>Fields every connection inherits, named as in a value of the type (e.g. <c>{"props":{"base_url":…}}</c>,
    /// <c>{"client_id":…,"client_secret":…}</c>); a connection may not set them itself. They may hold secrets.</summary>
    public JsonObject? GlobalValues { get; init; }

    /// <summary>Whether embedded users see it.</summary>
    public bool? Embedded { get; init; }

    /// <summary>The piece version (the registered latest when null).</summary>
    public string? PieceVersion { get; init; }

    /// <summary>ORGANIZATION credentials only: the organization's own part of its one global connection (the fields the
    /// global values leave to it; together they must make a whole value of the type).</summary>
    public ConnectionValue? Value { get; init; }

    /// <summary>ORGANIZATION credentials only: the projects that see its global connection (every project, now and
    /// future, when null).</summary>
    public IReadOnlyList<string>? ProjectIds { get; init; }

    /// <summary>The base URL the proxy calls its connections' API under.</summary>
    public string? ProxyBaseUrl { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"StableKey = {StableKey}, DisplayName = {DisplayName}, PieceName = {PieceName}, Type = {Type}, Credentials = {Credentials}");
        builder.Append(GlobalValues is null ? "" : ", GlobalValues = <redacted>").Append(Value is null ? "" : ", Value = <redacted>");
        return true;
    }
}

/// <summary>Changes to a definition; a null field stays as it is. <see cref="ToString"/> never shows the global values
/// or the value.</summary>
public sealed record UpdateConnectionDefinitionRequest
{
    /// <summary>A new name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Global values to change, merged into the stored ones field by field: a field set to a JSON null is
    /// removed, one left out stays (rotating a client secret sends only the secret).</summary>
    public JsonObject? GlobalValues { get; init; }

    /// <summary>Whether embedded users see it.</summary>
    public bool? Embedded { get; init; }

    /// <summary>ORGANIZATION credentials only: a new own part of the organization's global connection.</summary>
    public ConnectionValue? Value { get; init; }

    /// <summary>ORGANIZATION credentials only: the projects that see its global connection (replaces the list).</summary>
    public IReadOnlyList<string>? ProjectIds { get; init; }

    /// <summary>A new proxy base URL.</summary>
    public string? ProxyBaseUrl { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"DisplayName = {DisplayName}, Embedded = {Embedded}, ProxyBaseUrl = {ProxyBaseUrl}");
        builder.Append(GlobalValues is null ? "" : ", GlobalValues = <redacted>").Append(Value is null ? "" : ", Value = <redacted>");
        return true;
    }
}

/// <summary>The test credential test-run engine reads get: its own part, checked as a customer's value is (no field the
/// global values fix; together with them a whole value of the type).</summary>
public sealed record DefinitionTestValueRequest
{
    /// <summary>The own part, of the definition's type (its <see cref="ToString"/> never shows the credentials).</summary>
    public required ConnectionValue Value { get; init; }
}
