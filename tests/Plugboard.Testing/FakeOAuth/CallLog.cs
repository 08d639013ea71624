using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Plugboard.Testing.FakeOAuth;

/// Counters and the record of /token calls. A call is counted when it arrives and recorded when it is
/// answered; the snapshot is put back in arrival order.
internal sealed class CallLog
{
    private static readonly HashSet<string> SecretFields = new(StringComparer.Ordinal)
    {
        "client_secret", "code", "code_verifier", "refresh_token",
    };

    private readonly ConcurrentQueue<(long Arrival, TokenCall Call)> _calls = new();
    private long _lastArrival;
    private int _tokenCalls;
    private int _refreshCalls;
    private int _codeExchanges;
    private int _clientCredentialsCalls;

    public int TokenCalls => Volatile.Read(ref _tokenCalls);
    public int RefreshCalls => Volatile.Read(ref _refreshCalls);
    public int CodeExchanges => Volatile.Read(ref _codeExchanges);
    public int ClientCredentialsCalls => Volatile.Read(ref _clientCredentialsCalls);

    public long Arrive(string grantType)
    {
        Interlocked.Increment(ref _tokenCalls);
        switch (grantType)
        {
            case GrantTypes.RefreshToken:
                Interlocked.Increment(ref _refreshCalls);
                break;
            case GrantTypes.AuthorizationCode:
                Interlocked.Increment(ref _codeExchanges);
                break;
            case GrantTypes.ClientCredentials:
                Interlocked.Increment(ref _clientCredentialsCalls);
                break;
        }
        return Interlocked.Increment(ref _lastArrival);
    }

    public void Record(long arrival, TokenCall call) => _calls.Enqueue((arrival, call));

    public IReadOnlyList<TokenCall> Snapshot() =>
        [.. _calls.ToArray().OrderBy(entry => entry.Arrival).Select(entry => entry.Call)];

    public void Reset()
    {
        Interlocked.Exchange(ref _tokenCalls, 0);
        Interlocked.Exchange(ref _refreshCalls, 0);
        Interlocked.Exchange(ref _codeExchanges, 0);
        Interlocked.Exchange(ref _clientCredentialsCalls, 0);
        _calls.Clear();
    }

    /// Tests assert on what was sent, never on secret values, so the record cannot leak them into test output.
    public static IReadOnlyDictionary<string, string> Redact(IFormCollection form)
    {
        var fields = new Dictionary<string, string>(form.Count, StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            fields[key] = SecretFields.Contains(key) ? "***" : value.ToString();
        }
        return fields;
    }
}
