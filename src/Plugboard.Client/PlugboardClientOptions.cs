namespace Plugboard.Client;

/// <summary>Settings of <see cref="PlugboardClient"/>, bound from the configuration section <c>Plugboard</c>
/// (<c>Plugboard:BaseAddress</c>, <c>Plugboard:GlobalApiKey</c>, …) and then from the delegate given to
/// <c>AddPlugboardClient</c>.</summary>
public sealed class PlugboardClientOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string Section = "Plugboard";

    /// <summary>The server, e.g. <c>https://plugboard.example.com/</c> (required; http or https).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The key used when a tenant has none of its own, and by the client bound to no tenant.
    /// Keep it in a secret store or an environment variable (<c>Plugboard__GlobalApiKey</c>), never in source.</summary>
    public string? GlobalApiKey { get; set; }

    /// <summary>How many times a retryable call is sent again after a transient failure (default 3).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's delay, doubled for each further one, with jitter (default 1 second). A
    /// <c>Retry-After</c> from the server takes its place.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest one attempt may take (default 10 seconds).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
