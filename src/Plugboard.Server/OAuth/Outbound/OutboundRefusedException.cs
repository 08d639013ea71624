using System.Diagnostics.CodeAnalysis;

namespace Plugboard.Server.OAuth.Outbound;

/// A server-side call the SSRF guard would not make. The message is short, names the host at most and
/// never holds a secret, so it may be shown to the API caller.
public sealed class OutboundRefusedException(string message) : Exception(message)
{
    internal static OutboundRefusedException ResponseTooLarge() => new("response too large");

    /// The refusal behind an exception, however deep: SocketsHttpHandler wraps what ConnectCallback
    /// throws in an HttpRequestException, and callers may wrap that again.
    public static bool IsRefusal(Exception e, [NotNullWhen(true)] out OutboundRefusedException? refusal)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is OutboundRefusedException found)
            {
                refusal = found;
                return true;
            }
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (IsRefusal(inner, out refusal))
                    {
                        return true;
                    }
                }
                break;
            }
        }
        refusal = null;
        return false;
    }
}
