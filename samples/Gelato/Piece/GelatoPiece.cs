using System.Text.Json.Nodes;
using Plugboard.Pieces;

namespace Plugboard.Samples.Gelato;

/// <summary>
/// The predefined-connection guide's Gelato piece. Its trigger hides the connection picker (RequireAuth = false)
/// and fetches the connection by convention instead: <c>gelato_&lt;the project's externalId&gt;</c>, which the
/// backend (<see cref="GelatoBackend"/>) creates for each customer.
/// </summary>
public static class GelatoPiece
{
    public const string Name = "@activepieces/piece-gelato";
    public const string Version = "0.1.0";
    public const string NewFlavorCreated = "newFlavorCreated";
    public const string ShopProp = "shop";

    /// The naming convention shared by the backend (which creates the connection) and the piece (which reads it).
    public static string ConnectionKey(string externalProjectId) => "gelato_" + externalProjectId;

    /// The piece; its code calls the customer's Gelato account through <paramref name="gelato"/>.
    public static Piece Create(HttpClient gelato) => new()
    {
        Name = Name,
        Version = Version,
        DisplayName = "Gelato",
        Description = "Ice cream shops and their flavors.",
        Auth =
        [
            PieceAuth.CustomAuth("Gelato API", new Dictionary<string, PieceProp>
            {
                ["api_key"] = PieceProp.SecretText("API key", required: true, pattern: "^gel_"),
                ["base_url"] = PieceProp.ShortText("Base URL", description: $"Defaults to {GelatoApi.DefaultBaseUrl}"),
            }, description: "The customer's Gelato API key, provisioned by your backend."),
        ],
        Triggers =
        [
            new PieceTrigger
            {
                Name = NewFlavorCreated,
                DisplayName = "New flavor created",
                Description = "Triggers when a new ice cream flavor is created.",
                RequireAuth = false,
                Props = new Dictionary<string, PieceProp>
                {
                    [ShopProp] = PieceProp.Dropdown("Shop", context => LoadShopsAsync(gelato, context), required: true),
                },
                SampleData = new JsonObject { ["id"] = "flv_1", ["name"] = "Pistachio" },
                Test = async context => [.. (await ListFlavorsAsync(gelato, context)).Take(5).Select(f => f?.DeepClone())],
                OnEnable = context => CheckShopAsync(gelato, context),
                OnDisable = context => CheckShopAsync(gelato, context),
                // A production trigger would keep the last id it saw; the sample returns the shop's flavors.
                Run = context => ListFlavorsAsync(gelato, context),
            },
        ],
    };

    private static async Task<DropdownOptions> LoadShopsAsync(HttpClient gelato, OptionsContext context)
    {
        var api = new GelatoApi(gelato, await FetchConnectionAsync(context));
        var shops = await api.ListShopsAsync(context.CancellationToken);
        return new DropdownOptions([.. shops.Select(s => new DropdownOption(s!["name"]!.GetValue<string>(), s["id"]!.DeepClone()))])
        {
            Disabled = shops.Count == 0,
            Placeholder = shops.Count == 0 ? "This Gelato account has no shops yet" : "Pick a shop",
        };
    }

    private static async Task CheckShopAsync(HttpClient gelato, TriggerContext context)
    {
        var api = new GelatoApi(gelato, await FetchConnectionAsync(context));
        await api.GetShopAsync(context.Props.GetString(ShopProp)!, context.CancellationToken);
    }

    private static async Task<JsonArray> ListFlavorsAsync(HttpClient gelato, TriggerContext context)
    {
        var api = new GelatoApi(gelato, await FetchConnectionAsync(context));
        return await api.ListFlavorsAsync(context.Props.GetString(ShopProp)!, context.CancellationToken);
    }

    /// The guide's fetchConnection. No null check: a missing connection throws ConnectionNotFoundException.
    private static async Task<ConnectionValue> FetchConnectionAsync(PieceContext context)
    {
        var externalProjectId = await context.Project.ExternalIdAsync(context.CancellationToken)
            ?? throw new InvalidOperationException("This project is missing an external id.");
        return await context.Connections.GetAsync(ConnectionKey(externalProjectId), context.CancellationToken);
    }
}
