package io.growthos.platform.web;

import java.beans.PropertyEditorSupport;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Boolean query parameters ({@code ?completed=true}) are {@code true} or {@code false}, as a JSON
 * body's booleans are. Spring alone also reads {@code 1}, {@code yes}, {@code on} and any case
 * ({@code TRUE}): its default editor is consulted when the conversion service refuses a value, so a
 * formatter alone does not close it; an editor registered for the type is used first. Another value
 * is 400 {@code invalid_type} naming the parameter ({@link ApiExceptionHandler}); an empty one is
 * absent, as for every other query parameter.
 */
@ControllerAdvice
public class StrictQueryBooleans {

  @InitBinder
  void booleans(WebDataBinder binder) {
    binder.registerCustomEditor(Boolean.class, new Editor());
  }

  static final class Editor extends PropertyEditorSupport {
    @Override
    public void setAsText(String text) {
      setValue(
          switch (text == null ? "" : text) {
            case "" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not true or false: " + text);
          });
    }
  }
}
