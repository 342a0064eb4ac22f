using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace IotActors.Platform.Messages;

/// <summary>Receives the items of a property post from <see cref="PropertyPostScanner"/>, in the body's order.</summary>
public interface IPropertyItemVisitor
{
    /// <param name="identifier">The property's identifier (the item's name) as the body has it: UTF-8, valid, without escapes
    /// (the scanner leaves escaped names to the reader), so a consumer that already knows the name need not make a string of it.</param>
    /// <param name="rawValue">The item's <c>value</c> exactly as the body has it (UTF-8 JSON text, as <see cref="JsonElement.GetRawText"/> gives it).</param>
    /// <param name="time">The item's <c>time</c>, or the post's <c>gmtCreate</c> when the item has none.</param>
    void Item(ReadOnlySpan<byte> identifier, ReadOnlySpan<byte> rawValue, long time);
}

/// <summary>
/// Reads the items of a property post (spec §5.2; also property history posts) in one pass over the body, without
/// building a document: for consumers that fold each item into their own state, such as the device twin.
/// </summary>
/// <remarks>
/// <para><b>Same result as <see cref="PayloadReader.ReadPropertyPost"/>, or none.</b> When <see cref="TryScan{TVisitor}"/>
/// returns true the visitor has seen exactly the items <see cref="PayloadReader.ReadPropertyPost"/> would return, in the same
/// order, with the same raw values and times. It returns false, having called the visitor for nothing, for any body it does not
/// vouch for: every malformed body, and forms it leaves to the reader (a repeated item name or <c>items</c>, a header field
/// of the wrong type even where a later repetition would fix it, an escaped numeric string or item name). Read such a body with
/// <see cref="PayloadReader.ReadPropertyPost"/>, which says what is wrong with it.</para>
/// <para><b>Why.</b> A 2 KB post carries ~45 items: the document, an element and an item record per value, and a
/// dictionary of them cost ~14 KB and ~13 µs per message, most of the in-memory pipeline's work on such bodies
/// (BENCHMARKS.md, round 8). The scan allocates nothing that stays: identifiers and values are handed over as the body's
/// bytes (round 14).</para>
/// </remarks>
public static class PropertyPostScanner
{
    // As PayloadReader's: the same bodies are well-formed JSON for both.
    private static readonly JsonReaderOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Calls <paramref name="visitor"/> for each item once the whole body has been read and found a valid property post.</summary>
    /// <returns>False (and no call) when the body is not a property post this scanner vouches for: read it with <see cref="PayloadReader.ReadPropertyPost"/>.</returns>
    public static bool TryScan<TVisitor>(ReadOnlySpan<byte> body, ref TVisitor visitor)
        where TVisitor : struct, IPropertyItemVisitor
    {
        // Some producers prefix a UTF-8 byte-order mark (as PayloadReader).
        if (body.StartsWith("\uFEFF"u8)) body = body[3..];
        if (body.IsEmpty || !Utf8.IsValid(body)) return false;

        var items = new ItemList();
        try
        {
            if (!TryRead(body, ref items, out var gmtCreate)) return false;
            if (!items.AllHaveTimes(gmtCreate) || items.HasRepeatedIdentifier(body)) return false;
            for (var i = 0; i < items.Count; i++)
            {
                ref readonly var item = ref items[i];
                visitor.Item(body.Slice(item.NameStart, item.NameLength), body.Slice(item.ValueStart, item.ValueLength), item.Time ?? gmtCreate.GetValueOrDefault());
            }
            return true;
        }
        catch (JsonException)
        {
            return false; // syntax, depth, trailing data: the reader reports it
        }
        catch (InvalidOperationException)
        {
            return false; // text the reader cannot transcode (a lone surrogate escape in a header name): left to the reader
        }
        finally
        {
            items.Dispose();
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> body, ref ItemList items, out long? gmtCreate)
    {
        gmtCreate = null;
        var reader = new Utf8JsonReader(body, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;

        bool productKey = false, deviceName = false, itemsRead = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Required strings: the last one counts. Any other type, even null, is left to the reader.
            if (reader.ValueTextEquals("productKey"u8))
            {
                if (!TryReadString(ref reader, out productKey)) return false;
            }
            else if (reader.ValueTextEquals("deviceName"u8))
            {
                if (!TryReadString(ref reader, out deviceName)) return false;
            }
            else if (reader.ValueTextEquals("iotId"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null)) return false;
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.Null)) return false;
            }
            else if (reader.ValueTextEquals("gmtCreate"u8))
            {
                reader.Read();
                if (!TryReadTime(ref reader, out gmtCreate)) return false;
            }
            else if (reader.ValueTextEquals("items"u8))
            {
                if (itemsRead) return false;
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject || !TryReadItems(ref reader, ref items)) return false;
                itemsRead = true;
            }
            else
            {
                reader.Skip(); // on a property name: skips its value
            }
        }
        // The root object ended; as JsonDocument.Parse, nothing but whitespace may follow it.
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && productKey && deviceName && itemsRead;
    }

    /// <summary>Reads the value after a property name: false unless a string; <paramref name="nonEmpty"/> as the reader
    /// counts an empty string (missing).</summary>
    private static bool TryReadString(ref Utf8JsonReader reader, out bool nonEmpty)
    {
        reader.Read();
        // An escaped string is never empty: an escape stands for at least one character.
        nonEmpty = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
        return reader.TokenType == JsonTokenType.String;
    }

    /// <summary>A time field as <c>PayloadFields.OptionalInt64</c> reads it: null = absent; an integer, or a string holding one.</summary>
    private static bool TryReadTime(ref Utf8JsonReader reader, out long? time)
    {
        time = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetInt64(out var number):
                time = number;
                return true;
            case JsonTokenType.String when !reader.ValueIsEscaped
                && long.TryParse(reader.ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                time = parsed;
                return true;
            default:
                return false;
        }
    }

    /// <summary>From the items object's start to its end: one entry per item, each an object with a value.</summary>
    private static bool TryReadItems(ref Utf8JsonReader reader, ref ItemList items)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // An escaped name (rare: TSL identifiers are letters, digits and underscores) is left to the reader, which
            // unescapes it; any other name is handed over as the body's bytes.
            if (reader.ValueIsEscaped) return false;
            var nameStart = checked((int)reader.TokenStartIndex) + 1; // after the opening quote
            var nameLength = reader.ValueSpan.Length;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) return false;

            int valueStart = -1, valueLength = 0;
            long? time = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Repeated fields: the last one counts, as JsonElement.TryGetProperty finds it.
                if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    valueStart = checked((int)reader.TokenStartIndex);
                    reader.Skip(); // an object or array: to its end; a primitive: stays
                    valueLength = checked((int)reader.BytesConsumed) - valueStart;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    if (!TryReadTime(ref reader, out time)) return false;
                }
                else
                {
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || valueStart < 0) return false; // no value: the reader reports it missing
            items.Add(new ScannedItem(nameStart, nameLength, valueStart, valueLength, time));
        }
        return reader.TokenType == JsonTokenType.EndObject;
    }

    // Name and value: where the body has them. Time: the item's own; null takes the post's gmtCreate.
    private readonly struct ScannedItem(int nameStart, int nameLength, int valueStart, int valueLength, long? time)
    {
        public readonly int NameStart = nameStart;
        public readonly int NameLength = nameLength;
        public readonly int ValueStart = valueStart;
        public readonly int ValueLength = valueLength;
        public readonly long? Time = time;
    }

    /// <summary>The items read so far, in a pooled array: they are applied only once the whole body has been checked.</summary>
    private struct ItemList : IDisposable
    {
        private ScannedItem[]? _items;

        public int Count { get; private set; }

        public readonly ref readonly ScannedItem this[int index] => ref _items![index];

        public void Add(ScannedItem item)
        {
            if (_items is null || Count == _items.Length)
            {
                var larger = ArrayPool<ScannedItem>.Shared.Rent(Math.Max(16, Count * 2));
                if (_items is not null)
                {
                    _items.AsSpan(0, Count).CopyTo(larger);
                    ArrayPool<ScannedItem>.Shared.Return(_items); // items hold no references: nothing to clear
                }
                _items = larger;
            }
            _items[Count++] = item;
        }

        /// <summary>False when an item has no time and there is no <paramref name="gmtCreate"/> to fall back on (the reader's missing field).</summary>
        public readonly bool AllHaveTimes(long? gmtCreate)
        {
            if (gmtCreate is not null) return true;
            for (var i = 0; i < Count; i++)
            {
                if (_items![i].Time is null) return false;
            }
            return true;
        }

        /// <summary>Whether two items share an identifier: the reader keeps only the last of them, in the first one's place.</summary>
        public readonly bool HasRepeatedIdentifier(ReadOnlySpan<byte> body)
        {
            if (Count < 2) return false;
            var hashes = ArrayPool<int>.Shared.Rent(Count);
            try
            {
                var span = hashes.AsSpan(0, Count);
                for (var i = 0; i < Count; i++)
                {
                    var hash = new HashCode();
                    hash.AddBytes(body.Slice(_items![i].NameStart, _items[i].NameLength));
                    span[i] = hash.ToHashCode();
                }
                span.Sort();
                // Equal hashes are taken as a repetition: a rare collision only sends the body to the reader.
                for (var i = 1; i < span.Length; i++)
                {
                    if (span[i] == span[i - 1]) return true;
                }
                return false;
            }
            finally
            {
                ArrayPool<int>.Shared.Return(hashes);
            }
        }

        public void Dispose()
        {
            if (_items is not null) ArrayPool<ScannedItem>.Shared.Return(_items);
            _items = null;
            Count = 0;
        }
    }
}
