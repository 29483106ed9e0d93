package dev.trellis.observer;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Pid;
import dev.trellis.otp.observe.RuntimeEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/// The Observer's JSON: Jackson over the runtime's snapshot records, with pids as `"<0.42.0>"`,
/// exit reasons as Erlang prints them (`"killed"`, `"{shutdown, x}"`), durations in ISO-8601
/// (`"PT5S"`), instants in ISO-8601 UTC, and events tagged by `"type"`.
final class Json {
    private Json() {}

    /// The one mapper (thread-safe once configured).
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("trellis")
                    .addSerializer(Pid.class, text(Pid::toString))
                    .addSerializer(ExitReason.class, text(ExitReason::toString))
                    .addSerializer(Duration.class, text(Duration::toString))
                    .addSerializer(Instant.class, text(Instant::toString))
                    .setMixInAnnotation(RuntimeEvent.class, TaggedEvent.class))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = RuntimeEvent.ProcessCrashed.class, name = "crash"),
        @JsonSubTypes.Type(value = RuntimeEvent.ChildRestarted.class, name = "restart"),
        @JsonSubTypes.Type(value = RuntimeEvent.IntensityExceeded.class, name = "intensity_exceeded")
    })
    private interface TaggedEvent {}

    private static <T> JsonSerializer<T> text(Function<T, String> print) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(print.apply(value));
            }
        };
    }

    /// `value` as JSON bytes (UTF-8).
    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /// `value` as a JSON string.
    static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }
}
