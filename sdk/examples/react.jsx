// React 18: the elements are plain custom elements. Register them once, pass attributes as props
// (`write-key`, not writeKey), and listen to their DOM events with a ref (React 18 does not bind
// `on…` props of custom elements). Built by build.mjs into dist/react.js, opened by react.html.
import { useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { defineGrowthOSElements } from '@growthos/sdk/components';
import { config } from './config.js';

defineGrowthOSElements();

export function Waitlist({ campaign, host, writeKey, onJoined }) {
  const ref = useRef(null);
  useEffect(() => {
    const el = ref.current;
    const listener = (e) => onJoined(e.detail);
    el.addEventListener('growthos:joined', listener);
    return () => el.removeEventListener('growthos:joined', listener);
  }, [onJoined]);
  return <growthos-waitlist ref={ref} campaign={campaign} host={host} write-key={writeKey} heading="Join the beta (React)" />;
}

function App() {
  const [joined, setJoined] = useState(null);
  return (
    <main>
      <h1>GrowthOS in React</h1>
      <Waitlist campaign={config.waitlist} host={config.host} writeKey={config.writeKey} onJoined={setJoined} />
      {joined && <p id="joined">Joined at position {joined.position}</p>}
    </main>
  );
}

createRoot(document.getElementById('app')).render(<App />);
