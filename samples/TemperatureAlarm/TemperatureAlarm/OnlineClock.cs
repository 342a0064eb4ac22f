using System.Text.Json.Serialization;

namespace TemperatureAlarm;

/// <summary>
/// Whether a device is online and how long it has been online in total, from its status notices and their own
/// <c>utcTime</c>s. Like <see cref="TemperatureWindow"/>, its value depends only on which notices were added, not on
/// their arrival order.
/// </summary>
/// <remarks>
/// <para><b>Current status:</b> the newest notice by time (<see cref="Last"/>); a stale notice never changes it.</para>
/// <para><b>Online time:</b> a device alternates online, offline, online… in time order, so the closed sessions add up
/// to Σ offline times − Σ online times. A sum does not care about order, so each notice adds its time with its sign
/// (<see cref="Balance"/>) whenever it arrives — a stale one included, it still closes or opens a session. Two
/// corrections need only the oldest and newest notice: an offline first means its session began before we saw
/// anything (not counted), an online last means its session is still open (not counted yet).</para>
/// </remarks>
/// <param name="First">The oldest notice by time, or null.</param>
/// <param name="Last">The newest notice by time, or null: the current status.</param>
/// <param name="Balance">Σ offline times − Σ online times over every notice added (ms).</param>
/// <param name="Unpaired">Online notices minus offline notices added.</param>
public sealed record OnlineClock(StatusNotice? First, StatusNotice? Last, long Balance, int Unpaired)
{
    public static OnlineClock Empty { get; } = new(null, null, 0, 0);

    /// <summary>Online as of the newest notice.</summary>
    [JsonIgnore]
    public bool Online => Last?.Online ?? false;

    /// <summary>
    /// Milliseconds online over the closed sessions; null while the notices seen do not pair up (one is still on its
    /// way: at-least-once delivery brings it, and the total is then exact).
    /// </summary>
    [JsonIgnore]
    public long? OnlineMs
    {
        get
        {
            if (First is null || Last is null) return 0;
            var openAtStart = First.Online ? 0 : 1;
            var openAtEnd = Last.Online ? 1 : 0;
            if (Unpaired != openAtEnd - openAtStart) return null;
            return Balance - (First.Online ? 0 : First.Time) + (Last.Online ? Last.Time : 0);
        }
    }

    /// <summary>The clock with <paramref name="notice"/> added.</summary>
    public OnlineClock Add(StatusNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return new OnlineClock(
            First is null || notice.CompareTo(First) < 0 ? notice : First,
            Last is null || notice.CompareTo(Last) > 0 ? notice : Last,
            Balance + (notice.Online ? -notice.Time : notice.Time),
            Unpaired + (notice.Online ? 1 : -1));
    }
}
