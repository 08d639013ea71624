using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Plugboard.Cli;

/// A table for people, JSON for scripts (the SDK's records as the API names their fields).
internal sealed class Output(CliHost host, bool json)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        AllowOutOfOrderMetadataProperties = true,
    };

    public bool IsJson => json;

    public IAnsiConsole Console => field ??= CreateConsole();

    private IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(host.Out),
            Ansi = host.OutputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = host.OutputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = host.OutputIsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!host.OutputIsTerminal)
        {
            // No terminal to measure: wide enough that ids and dates are not wrapped.
            console.Profile.Width = 240;
        }
        return console;
    }

    public void WriteJson<T>(T value) => host.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// Writes <paramref name="items"/> as JSON, or as a table of the given columns.
    public void List<T>(IReadOnlyList<T> items, params (string Header, Func<T, object?> Cell)[] columns)
    {
        if (json)
        {
            WriteJson(items);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, _) in columns)
        {
            table.AddColumn(new TableColumn(header));
        }
        foreach (var item in items)
        {
            table.AddRow(columns.Select(c => (IRenderable)new Text(Format(c.Cell(item)))).ToArray());
        }
        Console.Write(table);
    }

    /// One record: JSON, or a two-column table of its fields.
    public void One<T>(T item, params (string Field, Func<T, object?> Value)[] fields)
    {
        if (json)
        {
            WriteJson(item);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).HideHeaders();
        table.AddColumn("field");
        table.AddColumn("value");
        foreach (var (field, value) in fields)
        {
            table.AddRow(new Text(field), new Text(Format(value(item))));
        }
        Console.Write(table);
    }

    public void Line(string text)
    {
        if (!json)
        {
            host.Out.WriteLine(text);
        }
    }

    public static string Format(object? value) => value switch
    {
        null => "",
        DateTimeOffset d => d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        Enum e => JsonSerializer.Serialize(e, Json).Trim('"'),
        System.Text.Json.Nodes.JsonNode n => n.ToJsonString(),
        IEnumerable<string> list => string.Join(", ", list),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
