namespace Plugboard.Server.Pages;

/// A kind of signed-in session an OAuth2 Connect can be started from (the console's, the embedded Connect screen's).
public interface IConnectActor
{
    string Kind { get; }

    /// The key or token session <paramref name="sessionId"/> acts with, or null (ended, expired).
    Task<string?> KeyOfAsync(string sessionId, CancellationToken ct);
}

/// Who a pending OAuth2 Connect acts as when the provider sends the popup back: the session that pressed Connect,
/// looked up again so that a sign-out (or an expired Connect screen) in between ends the flow.
public sealed class ConnectActors(IEnumerable<IConnectActor> actors)
{
    internal async Task<string?> KeyOfAsync(PendingConnect pending, CancellationToken ct) =>
        actors.FirstOrDefault(a => a.Kind == pending.SessionKind) is { } actor ? await actor.KeyOfAsync(pending.SessionId, ct) : null;
}

/// The console's sessions as Connect actors.
internal sealed class ConsoleConnectActor(ConsoleSessions sessions) : IConnectActor
{
    public string Kind => OAuthConnect.ConsoleSession;

    public Task<string?> KeyOfAsync(string sessionId, CancellationToken ct) => sessions.KeyOfAsync(sessionId, ct);
}
