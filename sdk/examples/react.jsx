// React: the elements are plain custom elements; register them once, listen with a ref.
import { useEffect, useRef } from 'react';
import { defineGrowthOSElements } from '@growthos/sdk/components';
import GrowthOS from '@growthos/sdk';

defineGrowthOSElements();
const gos = GrowthOS.init({ writeKey: 'gos_wk_your_write_key', host: 'http://localhost:8081' });

export function Waitlist({ campaign }) {
  const ref = useRef(null);
  useEffect(() => {
    const el = ref.current;
    const onJoined = (e) => gos.track('Waitlist Joined', { position: e.detail.position });
    el.addEventListener('growthos:joined', onJoined);
    return () => el.removeEventListener('growthos:joined', onJoined);
  }, []);
  return <growthos-waitlist ref={ref} campaign={campaign} host="http://localhost:8081" write-key="gos_wk_your_write_key" />;
}
