using Microsoft.AspNetCore.Builder;

namespace Plugboard.Testing.FakeOAuth;

/// A real OAuth2 authorization server on an ephemeral 127.0.0.1 port, for integration tests and the
/// benchmark. Every member is safe to call while requests are in flight.
public sealed class FakeOAuthProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ProviderState _state;
    private readonly AuthorizeEndpoint _authorize;
    private int _disposed;

    private FakeOAuthProvider(WebApplication app, ProviderState state, AuthorizeEndpoint authorize, string baseUrl)
    {
        _app = app;
        _state = state;
        _authorize = authorize;
        BaseUrl = baseUrl;
    }

    public static async Task<FakeOAuthProvider> StartAsync(CancellationToken ct = default)
    {
        var state = new ProviderState();
        var authorize = new AuthorizeEndpoint(state);
        var app = FakeOAuthHost.Build(state, authorize);
        try
        {
            await app.StartAsync(ct);
            return new FakeOAuthProvider(app, state, authorize, FakeOAuthHost.BoundAddress(app));
        }
        catch
        {
            await app.DisposeAsync();
            state.Dispose();
            throw;
        }
    }

    public string BaseUrl { get; }

    public string TokenUrl => BaseUrl + "/token";

    public string AuthorizeUrl => BaseUrl + "/authorize";

    /// An empty secret registers a public client: it only has to name itself.
    public void AddClient(string clientId, string clientSecret) => _state.Clients.Add(clientId, clientSecret);

    public string IssueCode(string clientId, string redirectUri, string? codeChallenge = null, string codeChallengeMethod = "S256", string? scope = null) =>
        _state.Codes.Issue(clientId, redirectUri, codeChallenge, codeChallengeMethod, scope);

    public IssuedTokens IssueTokens(string clientId, string? scope = null)
    {
        var family = _state.Families.Create(clientId, scope);
        return new IssuedTokens(RandomTokens.AccessToken(), family.CurrentToken, family.Id, _state.Knobs.ExpiresInSeconds);
    }

    public bool RotateRefreshTokens { get => _state.Knobs.RotateRefreshTokens; set => _state.Knobs.RotateRefreshTokens = value; }

    public bool OmitRefreshTokenOnRefresh { get => _state.Knobs.OmitRefreshTokenOnRefresh; set => _state.Knobs.OmitRefreshTokenOnRefresh = value; }

    public bool OmitExpiresIn { get => _state.Knobs.OmitExpiresIn; set => _state.Knobs.OmitExpiresIn = value; }

    public int ExpiresInSeconds { get => _state.Knobs.ExpiresInSeconds; set => _state.Knobs.ExpiresInSeconds = value; }

    public TimeSpan ResponseDelay { get => _state.Knobs.ResponseDelay; set => _state.Knobs.ResponseDelay = value; }

    public double TransientFailureRate { get => _state.Failures.TransientFailureRate; set => _state.Failures.TransientFailureRate = value; }

    /// Queued after any failures still pending from earlier calls.
    public void FailNext(int count, FakeFailure failure) => _state.Failures.FailNext(count, failure);

    public void RevokeAll() => _state.Families.RevokeAll();

    public int TokenCalls => _state.Log.TokenCalls;

    public int RefreshCalls => _state.Log.RefreshCalls;

    public int CodeExchanges => _state.Log.CodeExchanges;

    public int ClientCredentialsCalls => _state.Log.ClientCredentialsCalls;

    public IReadOnlyList<TokenCall> Calls => _state.Log.Snapshot();

    /// Completes when the next token call of this client and grant type arrives: ask before sending the request.
    public Task WhenCalledAsync(string clientId, string grantType) => _state.Signals.WhenCalledAsync(clientId, grantType);

    /// Completes once no token call is being answered, so every call that arrived is in Calls.
    public Task WhenIdleAsync() => _state.Signals.WhenIdleAsync();

    /// Token calls arrive (and are counted and signalled) but are answered only once the returned hold is disposed.
    public IDisposable HoldReplies() => _state.Signals.HoldReplies();

    public IReadOnlyDictionary<string, string> LastAuthorizeQuery => _authorize.LastQuery;

    /// The next consent page sends the user back with this error (as when they press "Deny").
    public void DenyNextConsent(string error = "access_denied", string description = "The user denied access.") =>
        _authorize.DenyNext(error, description);

    /// Zeroes the counters and empties Calls; knobs, clients, codes and tokens are kept.
    public void ResetCounters() => _state.Log.Reset();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _state.StopAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Dispose();
    }
}
