package io.growthos.core.filter;

import java.util.Optional;

/**
 * Looks up the filter of a segment of the workspace being compiled for, so that {@code {"segment":
 * "seg_…"}} can be inlined. Empty for an id the workspace does not have.
 */
@FunctionalInterface
public interface SegmentResolver {

  Optional<Filter> resolve(String segmentId);

  /** For filters that may not refer to segments (every reference is then unknown). */
  SegmentResolver NONE = id -> Optional.empty();
}
