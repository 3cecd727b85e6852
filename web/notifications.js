// Notifications on this device: asks consent only when the user taps the button, then subscribes
// the service worker with the server's VAPID key and registers the subscription.
import { api, ApiProblem, NetworkError } from './api.js';
import { el } from './dom.js';
import { t } from './i18n.js';

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

async function enable() {
  if ((await Notification.requestPermission()) !== 'granted') throw new Error(t('push.denied'));
  const registration = await navigator.serviceWorker.ready;
  const { public_key: key } = await api('/push/key');
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  await api('/push/subscriptions', { method: 'POST', body: subscription.toJSON() });
}

async function disable() {
  const subscription = await currentSubscription();
  if (!subscription) return;
  try {
    await api(`/push/subscriptions?endpoint=${encodeURIComponent(subscription.endpoint)}`, { method: 'DELETE' });
  } finally {
    await subscription.unsubscribe();
  }
}

/** A card with the state of notifications on this device and a button to switch them. */
export function notificationControl() {
  const status = el('p', { class: 'muted', role: 'status' });
  const button = el('button', { type: 'button', class: 'secondary' });
  const card = el('section', { class: 'card', 'aria-label': t('push.title') }, el('h2', {}, t('push.title')), status, button);
  if (!supported()) {
    status.textContent = t('push.unsupported');
    button.hidden = true;
    return card;
  }
  let on = false;
  const render = () => {
    status.textContent = on ? t('push.on') : Notification.permission === 'denied' ? t('push.blocked') : t('push.off');
    button.textContent = on ? t('push.disable') : t('push.enable');
    button.disabled = !on && Notification.permission === 'denied';
  };
  currentSubscription()
    .then((s) => {
      on = Boolean(s);
      render();
    })
    .catch(render);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      if (on) await disable();
      else await enable();
      on = !on;
      render();
    } catch (error) {
      render();
      status.className = 'notice error';
      status.textContent = error instanceof ApiProblem || error instanceof NetworkError ? error.userMessage() : t('push.failed');
    }
  });
  render();
  return card;
}
