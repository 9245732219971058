package io.growthos.management.settings;

import io.growthos.management.web.NotBlankText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code PATCH /v1/settings}: absent fields stay as they are. The widget origins are {@code
 * allowed_widget_origins} (SPEC §8); {@code allowed_origins}, their first name, is still read so
 * clients written against it keep working.
 */
@Schema(name = "UpdateSettings")
public record UpdateSettingsRequest(
    @Size(max = 200) @Pattern(regexp = NotBlankText.REGEXP, message = NotBlankText.MESSAGE)
        String name,
    @Schema(description = "IANA time zone such as Europe/Paris") @Size(max = 64) String timezone,
    @Schema(
            description =
                "Origins whose pages may call the widget routes, such as https://example.com"
                    + " (scheme, host, optional port); empty: any origin")
        @Size(max = 100)
        List<String> allowedWidgetOrigins,
    @Schema(
            deprecated = true,
            description =
                "Former name of allowed_widget_origins, still accepted; give one of the two")
        @Size(max = 100)
        List<String> allowedOrigins,
    @Schema(description = "60 seconds to 90 days")
        @Min(SettingsService.MIN_DEDUPE_SECONDS)
        @Max(SettingsService.MAX_DEDUPE_SECONDS)
        Integer dedupeWindowSeconds,
    @Schema(description = "The version read; 409 version_conflict when stale") Integer version) {}
