package io.growthos.management.segments;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.growthos.management.contacts.ContactResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The count of an unsaved filter and its first 10 contacts (newest first); the contacts only for a
 * key that may read contacts.
 */
@Schema(name = "SegmentPreview")
record PreviewResponse(
    long count,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
            description =
                "The first 10 matching contacts, newest first; absent unless the key holds"
                    + " contacts:read as well")
        @Nullable List<ContactResponse> sample) {}
