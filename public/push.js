// "Notify this browser" on the alerts page: asks for permission,
// subscribes this browser to the server's Web Push (with its VAPID key)
// and gives the server the subscription. A plain script, so the wasm
// bundle carries none of it; the page's content is replaced every few
// seconds, so the button is found by delegation.
const say = (text) => {
  const state = document.getElementById('push-state');
  if (state) state.textContent = text;
};

const keyBytes = (b64) => {
  const raw = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
};

async function subscribe() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
    return say('This browser cannot receive pushed notifications.');
  }
  if ((await Notification.requestPermission()) !== 'granted') {
    return say('Notifications are not allowed for this site.');
  }
  const { public_key } = await (await fetch('/api/v1/alerts/push/key')).json();
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(public_key),
  });
  const answer = await fetch('/api/v1/alerts/push/subscriptions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(subscription),
  });
  say(answer.ok ? 'This browser will be notified by Web Push contact points.' : `Not subscribed: ${(await answer.json()).message}`);
}

// Once, however often the page is visited without a reload.
if (!window.sensorboardPush) {
  window.sensorboardPush = true;
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('#push-subscribe')) {
      subscribe().catch((e) => say(`Not subscribed: ${e.message}`));
    }
  });
}
