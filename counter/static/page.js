// Simple pages of the counter terminal (login, choosing a counter, problems): only the language switch.
import { initLang } from "./i18n.js";

initLang();
