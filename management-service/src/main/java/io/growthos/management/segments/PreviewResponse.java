package io.growthos.management.segments;

import io.growthos.management.contacts.ContactResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The count of an unsaved filter and its first 10 contacts (newest first). */
@Schema(name = "SegmentPreview")
record PreviewResponse(long count, List<ContactResponse> sample) {}
