from reports.workbook import Sheet


class CounterFormSheet(Sheet):
    key = "counter_form"
    title = "総合窓口"
    order = 40
    permission = "counter.view_receptiontally"

    def write(self, ws, context):
        pass


class CounterDataSheet(CounterFormSheet):
    key = "counter_data"
    title = "総合窓口_データ"
    order = 41
