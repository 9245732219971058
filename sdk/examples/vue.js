// Vue 3 without a single-file-component compiler: a plain component with a template string,
// compiled in the browser by the full build of vue (vue/dist/vue.esm-bundler.js, aliased by
// build.mjs). `isCustomElement` tells Vue that growthos-* are custom elements; `@growthos:joined`
// listens to the element's DOM event; `.attr` binds as attributes (the documented interface). Built by build.mjs into dist/vue.js, opened by vue.html.
import { createApp, ref } from 'vue';
import { defineGrowthOSElements } from '@growthos/sdk/components';
import { config } from './config.js';

defineGrowthOSElements();

const App = {
  setup() {
    const joined = ref(null);
    const onJoined = (e) => {
      joined.value = e.detail;
    };
    return { config, joined, onJoined };
  },
  template: `
    <main>
      <h1>GrowthOS in Vue</h1>
      <growthos-waitlist :campaign.attr="config.waitlist" :host.attr="config.host" :write-key.attr="config.writeKey"
        heading="Join the beta (Vue)" @growthos:joined="onJoined"></growthos-waitlist>
      <p v-if="joined" id="joined">Joined at position {{ joined.position }}</p>
    </main>`,
};

const app = createApp(App);
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('growthos-');
app.mount('#app');
