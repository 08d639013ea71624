using Plugboard.Server.Pages;

namespace Plugboard.Server.Embed;

/// The Connect screen's sessions as OAuth2 Connect actors: the callback claims the code with the embedded user's token.
internal sealed class EmbedConnectActor(EmbedSessions sessions) : IConnectActor
{
    public string Kind => OAuthConnect.EmbedSession;

    public Task<string?> KeyOfAsync(string sessionId, CancellationToken ct) => sessions.KeyOfAsync(sessionId, ct);
}
