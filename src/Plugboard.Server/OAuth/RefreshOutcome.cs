using Plugboard.Server.Connections;

namespace Plugboard.Server.OAuth;

public enum RefreshResult
{
    NotFound,
    NotOAuth,
    /// Not due yet (or in its back-off after a transient failure): the stored token is what there is.
    NotDue,
    Refreshed,
    /// Another request or replica refreshed (or replaced) the credentials meanwhile; the row holds them.
    RefreshedElsewhere,
    /// Another replica holds the refresh lease and did not finish in time.
    Busy,
    /// The provider failed transiently; the connection stays ACTIVE and is retried after a back-off.
    TransientFailure,
    /// The grant is dead: the connection is now ERROR, with the reason.
    Failed,
    /// Already ERROR: no refresh is attempted until new credentials are upserted.
    InError,
}

/// What a refresh attempt did, and the connection row as it stands afterwards.
public sealed record RefreshOutcome(RefreshResult Result, AppConnection? Connection, string? Reason = null);
