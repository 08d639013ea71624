using Microsoft.Extensions.Options;

namespace Plugboard.Client;

/// Checked when the client is first resolved, with a message that says what to set.
internal sealed class PlugboardClientOptionsValidation : IValidateOptions<PlugboardClientOptions>
{
    public ValidateOptionsResult Validate(string? name, PlugboardClientOptions options)
    {
        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            return ValidateOptionsResult.Fail("Set Plugboard:BaseAddress to the server's absolute http(s) address, e.g. https://plugboard.example.com/.");
        }
        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            return ValidateOptionsResult.Fail("Plugboard:MaxRetryAttempts must be between 0 and 10.");
        }
        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(1))
        {
            return ValidateOptionsResult.Fail("Plugboard:RetryDelay must be between zero and 1 minute.");
        }
        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail("Plugboard:AttemptTimeout must be more than zero and at most 5 minutes.");
        }
        return ValidateOptionsResult.Success;
    }
}
