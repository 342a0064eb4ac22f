using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace IotActors.Host.Running;

/// <summary>What the embedded default simulates. Bound from the <c>Embedded</c> configuration section.</summary>
public sealed class EmbeddedOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Embedded";

    /// <summary>Simulated devices. <b>Default:</b> 100. Range 1–99,999 (what the simulator can name).</summary>
    public int Devices { get; set; } = 100;

    /// <summary>Simulated products. <b>Default:</b> 3. Range 1–999.</summary>
    public int Products { get; set; } = 3;

    /// <summary>Simulated messages per second; 0 = no simulated traffic (the emulator still runs). <b>Default:</b> 200.</summary>
    public double Rate { get; set; } = 200;

    /// <summary>Stop simulating after this many messages; null = until stopped, 0 = none. <b>Default:</b> null.</summary>
    public int? Count { get; set; }

    /// <summary>Connections (client IDs) the consumer opens to the embedded emulator. <b>Default:</b> 2. Range 1–128.</summary>
    public int Connections { get; set; } = 2;

    /// <summary>Seed of the simulator and emulator: same seed, same traffic. <b>Default:</b> 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Whether any message is simulated at all: a positive rate and a count that is not 0.</summary>
    public bool SimulatesTraffic => Rate > 0 && Count is not 0;

    /// <summary>
    /// The <c>Embedded</c> section, bound and validated: the options, or every problem in words that name the
    /// setting, its command-line option where it has one, and the allowed range.
    /// </summary>
    public static (EmbeddedOptions? Options, IReadOnlyList<string> Errors) Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        EmbeddedOptions options;
        try
        {
            options = configuration.GetSection(SectionName).Get<EmbeddedOptions>() ?? new EmbeddedOptions();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the value it could not convert (e.g. Embedded:Rate = 'fast').
            return (null, [e.Message]);
        }
        var errors = options.Validate();
        return (errors.Count == 0 ? options : null, errors);
    }

    /// <summary>Every setting out of range, one sentence each; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Devices is < 1 or > 99_999) errors.Add($"{Key(nameof(Devices), "--devices")} is {Text(Devices)}; allowed 1–99,999 simulated devices.");
        if (Products is < 1 or > 999) errors.Add($"{Key(nameof(Products))} is {Text(Products)}; allowed 1–999 simulated products.");
        if (!(Rate >= 0 && double.IsFinite(Rate))) errors.Add($"{Key(nameof(Rate), "--rate")} is {Text(Rate)}; allowed 0 (no simulated traffic) or a positive number of messages per second.");
        if (Count is < 0) errors.Add($"{Key(nameof(Count), "--count")} is {Text(Count.Value)}; allowed 0 or more messages, or empty for no limit.");
        if (Connections is < 1 or > 128) errors.Add($"{Key(nameof(Connections))} is {Text(Connections)}; allowed 1–128 connections.");
        return errors;
    }

    private static string Key(string property, string? option = null) =>
        option is null ? $"{SectionName}:{property}" : $"{SectionName}:{property} ({option})";

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
