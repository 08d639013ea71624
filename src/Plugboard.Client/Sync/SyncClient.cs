using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Sync: <c>/api/v1/sync</c> (platform key). Items are matched by kind and stable key, so a bundle from one
/// instance sets up another; connections made from definitions are not exported.</summary>
public sealed class SyncClient
{
    private const string PassphraseHeader = "X-Plugboard-Sync-Passphrase";
    private readonly ApiTransport _api;

    internal SyncClient(ApiTransport api) => _api = api;

    /// <summary>The platform's set-up as a bundle. With a <paramref name="passphrase"/> (12 characters or more) the
    /// items' secrets are sealed under it (<c>secrets=sealed</c>); without one the bundle carries no secrets.</summary>
    [Operation("ExportSyncBundle")]
    public Task<SyncBundle> ExportAsync(string? passphrase = null, CancellationToken cancellationToken = default) =>
        _api.SendAsync<SyncBundle>(HttpMethod.Get, new Query().Add("secrets", passphrase is null ? null : "sealed").Of("api/v1/sync/export"), null,
            Retry.Yes, cancellationToken, Passphrase(passphrase));

    /// <summary>Imports a bundle, matching items by kind and stable key. Retried on a transient failure: a second
    /// arrival finds every item as the first left it (and changes nothing).</summary>
    [Operation("ImportSyncBundle")]
    public Task<SyncReport> ImportAsync(SyncBundle bundle, SyncImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return _api.SendAsync<SyncReport>(HttpMethod.Post,
            new Query().Add("dryRun", options?.DryRun).Add("prune", options?.Prune).Of("api/v1/sync/import"), bundle,
            Retry.Yes, cancellationToken, Passphrase(options?.Passphrase));
    }

    private static Dictionary<string, string>? Passphrase(string? passphrase) =>
        passphrase is null ? null : new() { [PassphraseHeader] = passphrase };
}
