using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Plugboard.Testing.FakeOAuth;

/// Answers of injected failures. They touch no code or token, so the client can retry with what it has.
internal static class FailureReplies
{
    private static readonly TimeSpan TimeoutHold = TimeSpan.FromSeconds(60);

    public static (int Status, string? Error) Outcome(FakeFailure failure) => failure switch
    {
        FakeFailure.ServerError => (StatusCodes.Status500InternalServerError, "server_error"),
        FakeFailure.TooManyRequests => (StatusCodes.Status429TooManyRequests, "rate_limited"),
        FakeFailure.Timeout => (StatusCodes.Status504GatewayTimeout, "timeout"),
        FakeFailure.InvalidGrant => (StatusCodes.Status400BadRequest, "invalid_grant"),
        FakeFailure.UnauthorizedClient => (StatusCodes.Status400BadRequest, "unauthorized_client"),
        FakeFailure.HtmlErrorPage => (StatusCodes.Status502BadGateway, null),
        FakeFailure.ErrorIn200 => (StatusCodes.Status200OK, "invalid_auth"),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// Holds an answer longer than any client waits; the answer goes out only if the client is still there.
    public static Task HoldAsync(CancellationToken ct) => Task.Delay(TimeoutHold, ct);

    public static async Task WriteAsync(HttpResponse response, FakeFailure failure, CancellationToken ct)
    {
        var (status, error) = Outcome(failure);
        switch (failure)
        {
            case FakeFailure.Timeout:
                // The client is meant to give up long before this; the answer only comes if it does not.
                await Task.Delay(TimeoutHold, ct);
                await JsonReplies.WriteErrorAsync(response, status, error!);
                break;
            case FakeFailure.TooManyRequests:
                response.Headers[HeaderNames.RetryAfter] = "1";
                await JsonReplies.WriteErrorAsync(response, status, error!);
                break;
            case FakeFailure.InvalidGrant:
                await JsonReplies.WriteErrorAsync(response, status, error!, "injected failure");
                break;
            case FakeFailure.HtmlErrorPage:
                response.StatusCode = status;
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync("<html>Bad gateway</html>", ct);
                break;
            case FakeFailure.ErrorIn200:
                await JsonReplies.WriteAsync(response, status, writer =>
                {
                    writer.WriteBoolean("ok", false);
                    writer.WriteString("error", error);
                });
                break;
            default:
                await JsonReplies.WriteErrorAsync(response, status, error!);
                break;
        }
    }
}
