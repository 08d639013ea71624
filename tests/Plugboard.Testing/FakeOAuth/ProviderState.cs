namespace Plugboard.Testing.FakeOAuth;

/// Everything the endpoints share with the public provider object; all of it safe for concurrent use.
internal sealed class ProviderState : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public ClientRegistry Clients { get; } = new();
    public CodeStore Codes { get; } = new();
    public RefreshFamilies Families { get; } = new();
    public Knobs Knobs { get; } = new();
    public FailurePlan Failures { get; } = new();
    public CallLog Log { get; } = new();
    public CallSignals Signals { get; } = new();

    /// Cancelled on dispose so a request parked by an injected timeout does not hold up shutdown.
    public CancellationToken Stopping => _stopping.Token;

    public Task StopAsync() => _stopping.CancelAsync();

    public void Dispose() => _stopping.Dispose();
}
