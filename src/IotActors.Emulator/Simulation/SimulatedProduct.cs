using System.Text.Json;

namespace IotActors.Emulator.Simulation;

/// <summary>
/// What a simulated product's devices report: its TSL properties and events. Products take
/// turns over three kinds (thermostat, tracker, smart plug) so traffic has flat numbers, 0/1
/// switches and nested objects.
/// </summary>
internal sealed class SimulatedProduct
{
    private SimulatedProduct(string productKey, string deviceType, PropertySpec[] properties, EventSpec[] events)
    {
        ProductKey = productKey;
        DeviceType = deviceType;
        Properties = properties;
        Events = events;
    }

    public string ProductKey { get; }

    public string DeviceType { get; }

    public IReadOnlyList<PropertySpec> Properties { get; }

    public IReadOnlyList<EventSpec> Events { get; }

    public static string KeyOf(int index) => $"a1Sim{index:D3}";

    public static SimulatedProduct Create(int index) => (index % 3) switch
    {
        0 => new SimulatedProduct(KeyOf(index), "Thermostat",
            [
                new("Temperature", (w, d, r) => w.WriteNumberValue(Math.Round(d.BaseTemperature + (r.NextDouble() * 4) - 2, 1))),
                new("Humidity", (w, d, r) => w.WriteNumberValue(Math.Clamp(d.BaseHumidity + r.Next(-5, 6), 0, 100))),
                new("Switch", (w, _, r) => w.WriteNumberValue(r.Next(2))),
            ],
            [
                new("Overheat", "Overheat alarm", "alert", (w, d, r) => w.WriteNumber("Temperature", Math.Round(d.BaseTemperature + 50 + (r.NextDouble() * 20), 1))),
                new("Fault", "Device fault", "error", (w, _, r) => w.WriteNumber("ErrorCode", r.Next(1, 100))),
            ]),
        1 => new SimulatedProduct(KeyOf(index), "Tracker",
            [
                new("Position", (w, d, r) =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("latitude", Math.Round(d.BaseLatitude + ((r.NextDouble() - 0.5) / 100), 6));
                    w.WriteNumber("longitude", Math.Round(d.BaseLongitude + ((r.NextDouble() - 0.5) / 100), 6));
                    w.WriteEndObject();
                }),
                new("Battery", (w, _, r) => w.WriteNumberValue(r.Next(0, 101))),
                new("Speed", (w, _, r) => w.WriteNumberValue(Math.Round(r.NextDouble() * 120, 2))),
            ],
            [
                new("LowBattery", "Low battery", "alert", (w, _, r) => w.WriteNumber("Battery", r.Next(0, 10))),
                new("Moved", "Moved out of fence", "info", (w, _, r) => w.WriteNumber("Distance", Math.Round(r.NextDouble() * 1000, 1))),
            ]),
        _ => new SimulatedProduct(KeyOf(index), "SmartPlug",
            [
                new("Switch", (w, _, r) => w.WriteNumberValue(r.Next(2))),
                new("Power", (w, _, r) => w.WriteNumberValue(Math.Round(r.NextDouble() * 2000, 1))),
                new("Voltage", (w, _, r) => w.WriteNumberValue(Math.Round(220 + (r.NextDouble() * 20) - 10, 1))),
                new("Config", (w, _, r) =>
                {
                    w.WriteStartObject();
                    w.WriteString("mode", r.Next(2) == 0 ? "eco" : "normal");
                    w.WriteNumber("level", r.Next(1, 6));
                    w.WriteEndObject();
                }),
            ],
            [
                new("Overheat", "Overheat alarm", "alert", (w, d, r) => w.WriteNumber("Temperature", Math.Round(d.BaseTemperature + 60 + (r.NextDouble() * 20), 1))),
                new("SelfCheck", "Self check", "info", (w, _, r) => w.WriteString("result", r.Next(10) == 0 ? "degraded" : "ok")),
            ]),
    };

    /// <summary>A TSL property; <c>WriteValue</c> writes one JSON value.</summary>
    internal sealed record PropertySpec(string Identifier, Action<Utf8JsonWriter, SimulatedDevice, Random> WriteValue);

    /// <summary>A TSL event; <c>WriteFields</c> writes the members of its <c>value</c> object.</summary>
    internal sealed record EventSpec(string Identifier, string Name, string Type, Action<Utf8JsonWriter, SimulatedDevice, Random> WriteFields);
}
