using System.Text.Json.Serialization;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// How a platform offers one piece's connection to its customers (seed 004): whose credentials it uses, who
/// supplies them, the values every connection of it inherits, test credentials for test runs, and whether embedded
/// users may use it. Known across instances by its stable key.
public sealed class ConnectionDefinition : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }

    /// Unique per platform, the same in every instance (dev and prod, US and EU): what sync matches on.
    public required string StableKey { get; init; }
    public required string DisplayName { get; set; }
    public required string PieceName { get; set; }
    public string? PieceVersion { get; set; }
    public required ConnectionType Type { get; set; }
    public required DefinitionCredentials Credentials { get; set; }

    /// Who completes a CUSTOMER credential: the customer, or the organization on their behalf. Null for ORGANIZATION credentials.
    public CredentialSupplier? SuppliedBy { get; set; }

    /// Ciphertext of the JSON object every connection of the definition inherits.
    public required string GlobalValues { get; set; }

    /// The names of the inherited fields ("client_id", "props.base_url"), as a JSON array: what reads show instead of values.
    public required string GlobalValueKeys { get; set; }

    /// Ciphertext of the test credential's own part, served to test-run engine reads; null when there is none.
    public string? TestValue { get; set; }

    /// Where the proxy calls the piece's API for connections of this definition; null: the piece's or provider's.
    public string? ProxyBaseUrl { get; set; }

    /// Whether embedded users see and use it; false by default, as in the seed.
    public bool Embedded { get; set; }

    /// MISSING while its global values are still to be supplied (imported by sync without its secrets); ACTIVE otherwise.
    public ConnectionStatus Status { get; set; } = ConnectionStatus.Active;

    public long Version { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }

    /// Who supplies the effective credential of a connection of this definition.
    public CredentialSupplier Supplier => Credentials == DefinitionCredentials.Organization ? CredentialSupplier.Organization : SuppliedBy ?? CredentialSupplier.Customer;
}

public enum DefinitionCredentials
{
    /// One credential of the SaaS's own, a global connection used for every customer.
    [JsonStringEnumMemberName("ORGANIZATION")] Organization,
    /// Each project has its own.
    [JsonStringEnumMemberName("CUSTOMER")] Customer,
}

public enum CredentialSupplier
{
    [JsonStringEnumMemberName("CUSTOMER")] Customer,
    [JsonStringEnumMemberName("ORGANIZATION")] Organization,
}
