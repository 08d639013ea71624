namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>Engine tokens, which a job runner gets for a project before it runs a step (platform key).</summary>
    public EngineTokensClient EngineTokens => field ??= new(_transport);

    /// <summary>The exchange of a SaaS's signed external token for an embedded user's session (needs no API key).</summary>
    public ManagedAuthnClient ManagedAuthn => field ??= new(_transport);

    /// <summary>The worker's routes (a connection with its value, the project, the proxy), authenticated with
    /// <paramref name="engineToken"/> from <see cref="EngineTokensClient.IssueAsync"/> instead of an API key.</summary>
    public WorkerClient ForEngine(string engineToken) =>
        new(_transport.For(new FixedKeyResolver(RequireKey(engineToken)), otherTenant: null));
}
