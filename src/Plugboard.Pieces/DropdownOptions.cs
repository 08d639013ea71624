using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>One option of a dropdown: what the user sees and the value the step stores.</summary>
/// <param name="Label">The text shown.</param>
/// <param name="Value">The value stored in the step's input when chosen.</param>
public sealed record DropdownOption(string Label, JsonNode? Value);

/// <summary>What a dropdown's options loader returns.</summary>
/// <param name="Options">The options, in display order.</param>
public sealed record DropdownOptions(IReadOnlyList<DropdownOption> Options)
{
    /// <summary>Whether the dropdown cannot be used now (e.g. the account has nothing to choose).</summary>
    public bool Disabled { get; init; }

    /// <summary>The text shown when nothing is chosen, or why the dropdown is disabled.</summary>
    public string? Placeholder { get; init; }
}
