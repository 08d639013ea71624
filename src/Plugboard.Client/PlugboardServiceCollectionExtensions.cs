using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Plugboard.Client;
using Plugboard.Client.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="PlugboardClient"/>.</summary>
public static class PlugboardServiceCollectionExtensions
{
    /// <summary>Registers <see cref="PlugboardClient"/> (transient, over the HttpClient factory) with the standard
    /// resilience pipeline, its options bound from the <c>Plugboard</c> configuration section and then
    /// <paramref name="configure"/>, and <see cref="TenantKeyResolver"/> as the key resolver unless one is
    /// registered (it uses the app's <see cref="ITenantApiKeyStore"/> when there is one).</summary>
    /// <returns>The HttpClient's builder, to add handlers of the app's own.</returns>
    public static IHttpClientBuilder AddPlugboardClient(this IServiceCollection services, Action<PlugboardClientOptions>? configure = null)
    {
        // Bound from configuration when the app has one (a host always does; a bare ServiceCollection may not).
        var options = services.AddOptions<PlugboardClientOptions>().Configure<IServiceProvider>((o, sp) =>
            sp.GetService<IConfiguration>()?.GetSection(PlugboardClientOptions.Section).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlugboardClientOptions>, PlugboardClientOptionsValidation>());
        services.TryAddSingleton<IPlugboardKeyResolver>(sp =>
            new TenantKeyResolver(sp.GetRequiredService<IOptionsMonitor<PlugboardClientOptions>>(), sp.GetService<ITenantApiKeyStore>()));
        services.TryAddTransient(sp => new PlugboardClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(PlugboardClient.HttpClientName),
            sp.GetRequiredService<IPlugboardKeyResolver>()));

        var http = services.AddHttpClient(PlugboardClient.HttpClientName, (sp, client) =>
            client.BaseAddress = sp.GetRequiredService<IOptions<PlugboardClientOptions>>().Value.BaseAddress);
        var pipeline = http.AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(pipeline.PipelineName).Configure<IOptions<PlugboardClientOptions>>((resilience, plugboard) =>
        {
            var settings = plugboard.Value;
            Retries.Configure(resilience.Retry, settings.MaxRetryAttempts, settings.RetryDelay);
            resilience.AttemptTimeout.Timeout = settings.AttemptTimeout;
            // The whole call, retries and their Retry-After waits included.
            resilience.TotalRequestTimeout.Timeout = settings.AttemptTimeout * (settings.MaxRetryAttempts + 1) + TimeSpan.FromSeconds(30);
            resilience.CircuitBreaker.SamplingDuration = resilience.AttemptTimeout.Timeout * 2;
        });
        return http;
    }
}
