using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>The kind of credentials a connection holds.</summary>
public enum ConnectionType
{
    /// <summary>One secret.</summary>
    [JsonStringEnumMemberName("SECRET_TEXT")] SecretText,

    /// <summary>Username and password.</summary>
    [JsonStringEnumMemberName("BASIC_AUTH")] BasicAuth,

    /// <summary>The piece's own properties.</summary>
    [JsonStringEnumMemberName("CUSTOM_AUTH")] CustomAuth,

    /// <summary>Nothing.</summary>
    [JsonStringEnumMemberName("NO_AUTH")] NoAuth,

    /// <summary>OAuth2, the SaaS's own app.</summary>
    [JsonStringEnumMemberName("OAUTH2")] OAuth2,

    /// <summary>OAuth2, a cloud app.</summary>
    [JsonStringEnumMemberName("CLOUD_OAUTH2")] CloudOAuth2,

    /// <summary>OAuth2, the platform's app.</summary>
    [JsonStringEnumMemberName("PLATFORM_OAUTH2")] PlatformOAuth2,
}

/// <summary>Who sees a connection.</summary>
public enum ConnectionScope
{
    /// <summary>One project.</summary>
    [JsonStringEnumMemberName("PROJECT")] Project,

    /// <summary>A global connection, seen by the projects it names.</summary>
    [JsonStringEnumMemberName("PLATFORM")] Platform,
}

/// <summary>Whether a connection can be used.</summary>
public enum ConnectionStatus
{
    /// <summary>Usable.</summary>
    [JsonStringEnumMemberName("ACTIVE")] Active,

    /// <summary>Its customer has not supplied credentials yet.</summary>
    [JsonStringEnumMemberName("MISSING")] Missing,

    /// <summary>Its refresh failed for good; see the status reason and reconnect it.</summary>
    [JsonStringEnumMemberName("ERROR")] Error,
}

/// <summary>Who supplies a definition connection's credentials.</summary>
public enum CredentialSupplier
{
    /// <summary>Each customer, in their own project.</summary>
    [JsonStringEnumMemberName("CUSTOMER")] Customer,

    /// <summary>The organization, once for every customer.</summary>
    [JsonStringEnumMemberName("ORGANIZATION")] Organization,
}
