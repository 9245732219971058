package io.growthos.management.segments;

import io.swagger.v3.oas.annotations.media.Schema;

/** How many contacts a segment holds right now. */
@Schema(name = "SegmentCount")
record CountResponse(long count) {}
