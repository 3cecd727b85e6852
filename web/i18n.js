// The one message catalogue of the PWA. Dutch is the default; English is available.
const messages = {
  nl: {
    'app.loading': 'Dagstaat wordt geladen…',
    'language.switch': 'English',
    'language.label': 'Switch to English',
    'login.title': 'Inloggen',
    'login.email': 'E-mailadres',
    'login.password': 'Wachtwoord',
    'login.submit': 'Inloggen',
    'login.offline': 'Je bent offline. Inloggen kan pas als er weer verbinding is.',
    'logout': 'Uitloggen',
    'connection.online': 'Online',
    'connection.offline': 'Offline',
    'offline.cached': 'Je bent offline. Je ziet de gegevens van {time}.',
    'offline.nothing': 'Je bent offline en er zijn nog geen gegevens op dit toestel.',
    'role.admin': 'Beheerder',
    'role.coordinator': 'Coördinator',
    'role.coach': 'Begeleider',
    'role.driver': 'Chauffeur',
    'role.finance': 'Financiën',
    'home.coach.title': 'Mijn locaties vandaag',
    'home.driver.title': 'Mijn ritten vandaag',
    'home.coordinator.title': 'Bezetting vandaag',
    'home.finance.title': 'Financiën',
    'home.admin.title': 'Beheer',
    'home.hello': 'Hallo {name}',
    'home.noLocations': 'Je bent nog niet aan een locatie gekoppeld. Vraag de beheerder om je toe te voegen.',
    'dagdeel.ochtend': 'Ochtend',
    'dagdeel.middag': 'Middag',
    'dagdeel.avond': 'Avond',
    'expected.count': '{expected} verwacht · {capacity} plaatsen',
    'expected.none': 'Niemand verwacht.',
    'expected.full': 'Vol: {over} boven de capaciteit',
    'needs.wheelchair': 'rolstoel',
    'needs.walker': 'rollator',
    'needs.escort': 'begeleiding',
    'driver.noRoutes': 'Er zijn vandaag nog geen ritten voor je gepland.',
    'driver.vehicles': 'Voertuigen op jouw locatie',
    'driver.vehicle': '{name} ({plate}) · {seats} zitplaatsen · {wheelchairs} rolstoelplaatsen',
    'finance.allocations': 'Toewijzingen die vandaag gelden',
    'finance.dagbesteding': 'Dagbesteding (07)',
    'finance.vervoer': 'Vervoer (08)',
    'finance.municipalities': 'Gemeenten',
    'admin.users': 'Gebruikers',
    'admin.locations': 'Locaties',
    'admin.clients': 'Cliënten',
    'admin.docs': 'API-documentatie',
    'error.validation': 'Controleer de invoer: {fields}.',
    'error.bad_request': 'Het verzoek klopt niet.',
    'error.unauthenticated': 'Je bent niet (meer) ingelogd.',
    'error.login_failed': 'Onbekend e-mailadres of verkeerd wachtwoord.',
    'error.forbidden': 'Dat mag je met jouw rol niet doen.',
    'error.not_found': 'Niet gevonden.',
    'error.conflict': 'Dat botst met bestaande gegevens.',
    'error.rate_limited': 'Te vaak een verkeerd wachtwoord. Probeer het over {seconds} seconden opnieuw.',
    'error.internal': 'Er ging iets mis op de server. Probeer het later opnieuw.',
    'error.network': 'Geen verbinding met de server.',
  },
  en: {
    'app.loading': 'Loading Dagstaat…',
    'language.switch': 'Nederlands',
    'language.label': 'Wissel naar Nederlands',
    'login.title': 'Log in',
    'login.email': 'Email address',
    'login.password': 'Password',
    'login.submit': 'Log in',
    'login.offline': 'You are offline. You can log in once the connection is back.',
    'logout': 'Log out',
    'connection.online': 'Online',
    'connection.offline': 'Offline',
    'offline.cached': 'You are offline. Showing data from {time}.',
    'offline.nothing': 'You are offline and this device has no data yet.',
    'role.admin': 'Administrator',
    'role.coordinator': 'Coordinator',
    'role.coach': 'Coach',
    'role.driver': 'Driver',
    'role.finance': 'Finance',
    'home.coach.title': 'My locations today',
    'home.driver.title': 'My routes today',
    'home.coordinator.title': 'Occupancy today',
    'home.finance.title': 'Finance',
    'home.admin.title': 'Administration',
    'home.hello': 'Hello {name}',
    'home.noLocations': 'You are not linked to a location yet. Ask the administrator to add you.',
    'dagdeel.ochtend': 'Morning',
    'dagdeel.middag': 'Afternoon',
    'dagdeel.avond': 'Evening',
    'expected.count': '{expected} expected · {capacity} places',
    'expected.none': 'Nobody expected.',
    'expected.full': 'Full: {over} over capacity',
    'needs.wheelchair': 'wheelchair',
    'needs.walker': 'walker',
    'needs.escort': 'escort',
    'driver.noRoutes': 'No routes are planned for you today yet.',
    'driver.vehicles': 'Vehicles at your location',
    'driver.vehicle': '{name} ({plate}) · {seats} seats · {wheelchairs} wheelchair places',
    'finance.allocations': 'Allocations valid today',
    'finance.dagbesteding': 'Day care (07)',
    'finance.vervoer': 'Transport (08)',
    'finance.municipalities': 'Municipalities',
    'admin.users': 'Users',
    'admin.locations': 'Locations',
    'admin.clients': 'Clients',
    'admin.docs': 'API documentation',
    'error.validation': 'Please check: {fields}.',
    'error.bad_request': 'The request is not valid.',
    'error.unauthenticated': 'You are not logged in (any more).',
    'error.login_failed': 'Unknown email address or wrong password.',
    'error.forbidden': 'Your role does not allow this.',
    'error.not_found': 'Not found.',
    'error.conflict': 'This conflicts with existing data.',
    'error.rate_limited': 'Too many wrong passwords. Try again in {seconds} seconds.',
    'error.internal': 'Something went wrong on the server. Please try again later.',
    'error.network': 'No connection to the server.',
  },
};

const STORAGE_KEY = 'dagstaat.language';

export function currentLanguage() {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored in messages ? stored : 'nl';
}

export function setLanguage(language) {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

/** The text for `key` with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = messages[currentLanguage()][key] ?? messages.nl[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

export function formatTime(date) {
  return new Intl.DateTimeFormat(currentLanguage() === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }).format(date);
}

export const catalogue = messages;
