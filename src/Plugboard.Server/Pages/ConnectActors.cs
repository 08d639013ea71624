namespace Plugboard.Server.Pages;

/// Who a pending OAuth2 Connect acts as when the provider sends the popup back: the console session that pressed
/// Connect, looked up again so that a sign-out in between ends the flow.
public sealed class ConnectActors(ConsoleSessions console)
{
    internal async Task<string?> KeyOfAsync(PendingConnect pending, CancellationToken ct) => pending.SessionKind switch
    {
        OAuthConnect.ConsoleSession => await console.KeyOfAsync(pending.SessionId, ct),
        _ => null,
    };
}
