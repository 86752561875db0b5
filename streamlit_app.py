"""Entry script: page config, cached data, the shared sidebar bound to the URL, navigation.

Run with ``streamlit run streamlit_app.py``.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.data import get_data
from dashboard.other_data import imported_datasets, sidebar_other_data
from dashboard.static_files import static_url

# The icon by its /app/static URL: the browser caches it, where a file path is read, hashed and
# stored in Streamlit's media store again on every run. (Under a base URL path Streamlit would
# not recognise that URL as static, so the file it is.)
_icon = static_url("favicon.png")
st.set_page_config(
    page_title="South Caucasus events: who did what, where and when",
    page_icon=_icon if _icon.startswith("/app/static/") else "static/favicon.png",
    layout="wide",
)

data, _ = get_data()
if data.rejects:
    from geo.labels import md_escape
    from geo.report import reject_summary

    st.error(
        f"{len(data.rejects)} curated rows were rejected and are not shown:\n\n"
        + "\n".join(f"- {md_escape(line)}" for line in reject_summary(data.rejects))
        + "\n\nRun `python -m geo.check` for the full list."
    )
if data.events.empty:
    st.warning("No events could be loaded, so there is nothing to show.")

state.seed_from_url(data, imported_datasets())
state.sidebar_filters(data)
sidebar_other_data()


def _explore_alias() -> None:
    st.switch_page("dashboard/pages/explore.py", query_params=state.all_params())


page = st.navigation(
    [
        st.Page("dashboard/pages/explore.py", title="Map and timeline", url_path="map", default=True),
        # The default page lives at "/"; links of the form /explore?… (the README's) open it too.
        st.Page(_explore_alias, title="Map and timeline", url_path="explore", visibility="hidden"),
        st.Page("dashboard/pages/sources.py", title="Sources", url_path="sources"),
        st.Page("dashboard/pages/accounts.py", title="Accounts side by side", url_path="accounts"),
        st.Page("dashboard/pages/article.py", title="Read an article", url_path="article"),
        st.Page("dashboard/pages/data_table.py", title="Data", url_path="data"),
        st.Page("dashboard/pages/about.py", title="About and method", url_path="about"),
    ]
)
st.session_state[state.K_PAGE] = page.url_path
state.keep_page_widgets()
state.show_link_notices()
page.run()
state.write_url(state.current_view(data))
