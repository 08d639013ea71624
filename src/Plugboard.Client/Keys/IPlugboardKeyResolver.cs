namespace Plugboard.Client;

/// <summary>Finds the API key each request is sent with. Called once per request, so a key changed in the
/// app's store is used from the next call on.</summary>
public interface IPlugboardKeyResolver
{
    /// <summary>The key for a tenant's requests, or for the unbound client when <paramref name="tenantId"/> is null.</summary>
    /// <exception cref="PlugboardNotConfiguredException">No key applies.</exception>
    ValueTask<string> GetApiKeyAsync(string? tenantId, CancellationToken cancellationToken);
}
