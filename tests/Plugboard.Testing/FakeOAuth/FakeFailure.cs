namespace Plugboard.Testing.FakeOAuth;

/// How an injected /token failure answers; none of them consumes or rotates a token, except LostAnswer.
public enum FakeFailure
{
    /// 500 {"error":"server_error"}
    ServerError,

    /// 429 with Retry-After: 1 and {"error":"rate_limited"}
    TooManyRequests,

    /// No answer for 60 s (or until the client gives up), then 504 {"error":"timeout"}.
    Timeout,

    /// 400 {"error":"invalid_grant"}
    InvalidGrant,

    /// 400 {"error":"unauthorized_client"}
    UnauthorizedClient,

    /// 502 text/html "<html>Bad gateway</html>", as a proxy in front of a provider answers.
    HtmlErrorPage,

    /// 200 {"ok":false,"error":"invalid_auth"}, as Slack answers errors.
    ErrorIn200,

    /// The grant is carried out (a refresh rotates the refresh token), then the answer is held for 60 s or until
    /// the client gives up: the client never learns the new tokens, and the ones it holds are spent.
    LostAnswer,
}
