package io.growthos.ingest.widgets;

import io.growthos.ingest.config.IngestProperties;
import io.growthos.ingest.web.WidgetRoutes;
import io.growthos.platform.web.FilterOrder;
import io.growthos.platform.web.StrictQueryParameters;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Installs the widget CORS filter and origin check (see the package documentation). */
@Configuration(proxyBeanMethods = false)
class WidgetConfiguration implements WebMvcConfigurer {

  /**
   * Right after the request-id filter, before anything that can refuse a request (canonical path,
   * body size, admission), so that those refusals carry the CORS headers too; before the ingest
   * CORS filter, which leaves widget paths alone.
   */
  static final int WIDGET_CORS_ORDER = FilterOrder.CORS;

  private final WidgetOrigins origins;

  WidgetConfiguration(WidgetOrigins origins) {
    this.origins = origins;
  }

  @Bean
  FilterRegistrationBean<WidgetCorsFilter> widgetCorsFilter(IngestProperties props) {
    FilterRegistrationBean<WidgetCorsFilter> reg =
        new FilterRegistrationBean<>(new WidgetCorsFilter(props.cors().maxAge()));
    reg.setOrder(WIDGET_CORS_ORDER);
    return reg;
  }

  /**
   * Right after the request pipeline (the first interceptor), which authenticated the key: the
   * origin check; then unknown query parameters on widget routes are a 400 (a misspelt {@code url}
   * would silently skip a survey's URL targeting).
   */
  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new WidgetOriginCheck(origins)).order(Ordered.HIGHEST_PRECEDENCE + 1);
    registry
        .addInterceptor(new StrictQueryParameters(WidgetRoutes::isWidgetHandler))
        .order(Ordered.HIGHEST_PRECEDENCE + 2);
  }
}
