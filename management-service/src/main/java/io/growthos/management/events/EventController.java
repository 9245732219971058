package io.growthos.management.events;

import io.growthos.management.auth.Caller;
import io.growthos.management.auth.RequiresScope;
import io.growthos.management.paging.Page;
import io.growthos.model.values.TimestampRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/events")
@Tag(name = "Events", description = "Events stored by the Ingest API")
class EventController {

  private final EventService events;

  EventController(EventService events) {
    this.events = events;
  }

  @GetMapping
  @RequiresScope("events:read")
  @Operation(summary = "List events, newest first")
  Page<EventResponse> list(
      Caller caller,
      @Parameter(
              schema =
                  @Schema(
                      allowableValues = {"track", "identify", "page", "screen", "group", "alias"}))
          @RequestParam(required = false)
          String type,
      @Parameter(description = "Event name of track events") @RequestParam(required = false)
          String event,
      @RequestParam(name = "contact_id", required = false) String contactId,
      @RequestParam(name = "user_id", required = false) String userId,
      @RequestParam(name = "anonymous_id", required = false) String anonymousId,
      @Parameter(description = "Events whose timestamp is after this RFC 3339 time")
          @RequestParam(required = false)
          Instant after,
      @Parameter(description = "Events whose timestamp is before this RFC 3339 time")
          @RequestParam(required = false)
          Instant before,
      @Parameter(description = "1 to 100") @RequestParam(defaultValue = "25") int limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          String cursor) {
    TimestampRange.checkParameters(after, "after", before, "before");
    return events.list(
        caller.workspaceId(),
        new EventService.Filters(type, event, contactId, userId, anonymousId, after, before),
        limit,
        cursor);
  }

  @GetMapping("/{id}")
  @RequiresScope("events:read")
  @Operation(summary = "Retrieve an event")
  EventResponse get(Caller caller, @PathVariable String id) {
    return events.get(caller.workspaceId(), id);
  }
}
