using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Plugboard's API, one property per feature (<see cref="Projects"/>, <see cref="AppConnections"/>, …).
/// Get it from DI after <c>services.AddPlugboardClient(…)</c>; it is cheap, stateless and safe to share.
/// <see cref="ForTenant"/> gives a client whose every request carries that tenant's key.</summary>
public sealed partial class PlugboardClient
{
    /// <summary>The name of the <see cref="HttpClient"/> <c>AddPlugboardClient</c> registers with the factory.</summary>
    public const string HttpClientName = "Plugboard";

    private readonly ApiTransport _transport;
    private readonly IPlugboardKeyResolver _keys;

    /// <summary>A client over an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the server;
    /// each request takes its key from <paramref name="keys"/>. Retries come with <c>AddPlugboardClient</c>'s
    /// pipeline, not with an HttpClient built by hand.</summary>
    public PlugboardClient(HttpClient httpClient, IPlugboardKeyResolver keys)
        : this(new ApiTransport(WithTrailingSlash(httpClient), keys, tenantId: null), keys)
    {
    }

    /// <summary>A client that sends one key (or token) with every request.</summary>
    public PlugboardClient(HttpClient httpClient, string apiKey)
        : this(httpClient, new FixedKeyResolver(RequireKey(apiKey)))
    {
    }

    private PlugboardClient(ApiTransport transport, IPlugboardKeyResolver keys)
    {
        _transport = transport;
        _keys = keys;
    }

    /// <summary>The tenant whose key this client's requests carry, or null for the unbound client.</summary>
    public string? TenantId => _transport.TenantId;

    /// <summary>A client whose every request carries <paramref name="tenantId"/>'s key, resolved per request
    /// (the tenant's own, else the global key). Requests of other tenants' clients can never carry it.</summary>
    public PlugboardClient ForTenant(string tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return new PlugboardClient(_transport.For(_keys, tenantId), _keys);
    }

    /// <summary>A client that sends <paramref name="apiKeyOrToken"/> instead: a project API key, an operator key
    /// (platforms), an embedded session token (from <c>ManagedAuthn</c>) or an engine token (worker reads).</summary>
    public PlugboardClient WithKey(string apiKeyOrToken)
    {
        var fixedKey = new FixedKeyResolver(RequireKey(apiKeyOrToken));
        return new PlugboardClient(_transport.For(fixedKey, otherTenant: null), fixedKey);
    }

    private static string RequireKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return key;
    }

    // Requests use relative paths ("api/v1/…"), so a server under a path (https://host/plugboard) keeps it.
    private static HttpClient WithTrailingSlash(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is { } address && !address.AbsolutePath.EndsWith('/'))
        {
            http.BaseAddress = new Uri(address.AbsoluteUri + "/");
        }
        return http;
    }
}
