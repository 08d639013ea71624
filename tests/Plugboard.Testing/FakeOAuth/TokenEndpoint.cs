using Microsoft.AspNetCore.Http;

namespace Plugboard.Testing.FakeOAuth;

/// POST /token: count, signal the arrival, wait (a test's hold, then ResponseDelay), maybe fail on purpose, else run the grant; record every call.
internal sealed class TokenEndpoint(ProviderState state)
{
    private const int ClientClosedRequest = 499;

    private readonly TokenGrants _grants = new(state);

    public async Task HandleAsync(HttpContext context)
    {
        var arrivedAt = DateTimeOffset.UtcNow;
        var form = await ReadFormAsync(context.Request, context.RequestAborted);
        var grantType = form["grant_type"].ToString();
        var arrival = state.Log.Arrive(grantType);
        state.Signals.Entered();
        try
        {
            await AnswerAsync(context, form, grantType, arrival, arrivedAt);
        }
        finally
        {
            state.Signals.Left();
        }
    }

    private async Task AnswerAsync(HttpContext context, IFormCollection form, string grantType, long arrival, DateTimeOffset arrivedAt)
    {
        var client = state.Clients.Authenticate(context.Request, form);
        state.Signals.Identified(client.ClientId, grantType);
        var call = new TokenCall(arrivedAt, grantType, client.ClientId, FamilyOf(grantType, form), Status: 0, Error: null, CallLog.Redact(form), client.Scheme);
        var recorded = false;
        void Record(int status, string? error, string? familyId = null)
        {
            // Recorded before the answer is written, so a test that has the answer also finds the call.
            state.Log.Record(arrival, call with { Status = status, Error = error, FamilyId = familyId ?? call.FamilyId });
            recorded = true;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping);
        try
        {
            await state.Signals.HeldAsync(cancel.Token);
            if (state.Knobs.ResponseDelay is var delay && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancel.Token);
            }
            var injected = state.Failures.Next();
            if (injected is FakeFailure.LostAnswer)
            {
                var acted = _grants.Handle(grantType, client, form);
                Record(acted.Status, acted.Error, acted.FamilyId);
                await FailureReplies.HoldAsync(cancel.Token);
                await acted.WriteAsync(context.Response);
                return;
            }
            if (injected is { } failure)
            {
                var (status, error) = FailureReplies.Outcome(failure);
                Record(status, error);
                await FailureReplies.WriteAsync(context.Response, failure, cancel.Token);
                return;
            }
            var reply = _grants.Handle(grantType, client, form);
            Record(reply.Status, reply.Error, reply.FamilyId);
            await reply.WriteAsync(context.Response);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            if (!recorded)
            {
                Record(ClientClosedRequest, error: null);
            }
            context.Abort();
        }
    }

    private string? FamilyOf(string grantType, IFormCollection form) =>
        grantType == GrantTypes.RefreshToken ? state.Families.Find(form["refresh_token"].ToString())?.Id : null;

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return FormCollection.Empty;
        }
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            // A malformed body is answered like an empty one: invalid_client or unsupported_grant_type.
            return FormCollection.Empty;
        }
    }
}
